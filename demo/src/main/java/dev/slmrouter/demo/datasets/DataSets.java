package dev.slmrouter.demo.datasets;

import java.util.Optional;

/** The data sets the demo was given, each optional: BANKING77, CLINC150's out-of-scope queries, xSID. */
public record DataSets(Optional<LabeledData> banking77, Optional<LabeledData> outOfScope,
                       Optional<LabeledData> nonEnglish) {

    public static DataSets none() {
        return new DataSets(Optional.empty(), Optional.empty(), Optional.empty());
    }
}
