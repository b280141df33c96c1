package dev.slmrouter.reliability;

/** Searches every record of a topic, aborted ones included (read_uncommitted), for a byte sequence. */
final class TopicScan {

    private TopicScan() {
    }

    static boolean contains(final String bootstrap, final String topic, final byte[] needle) {
        return !TopicReader.read(bootstrap, topic, false,
                record -> indexOf(record.key(), needle) < 0 && indexOf(record.value(), needle) < 0);
    }

    static int indexOf(final byte[] haystack, final byte[] needle) {
        if (haystack == null || needle.length == 0) {
            return -1;
        }
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
