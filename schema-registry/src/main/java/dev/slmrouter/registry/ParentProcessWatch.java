package dev.slmrouter.registry;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.StartupEvent;
import java.util.Optional;
import javax.enterprise.event.Observes;
import javax.inject.Singleton;
import org.jboss.logging.Logger;

/**
 * Stops the registry when the process that started it is gone. local-stack starts the registry as a
 * child of a test JVM and stops it on close or from a shutdown hook, but a test JVM killed outright
 * (SIGKILL, a surefire fork timeout, an IDE's hard stop) runs no hook; without this watch its registry
 * would keep running and keep its port. The parent's pid comes from system property {@value #PROPERTY};
 * without it (the registry started by hand) nothing is watched.
 */
@Singleton
public class ParentProcessWatch {

    static final String PROPERTY = "slmrouter.registry.parent-pid";
    private static final Logger LOG = Logger.getLogger(ParentProcessWatch.class);

    void watch(@Observes StartupEvent started) {
        String pid = System.getProperty(PROPERTY);
        if (pid == null || pid.isBlank()) {
            return;
        }
        Optional<ProcessHandle> parent = ProcessHandle.of(Long.parseLong(pid.trim()));
        if (parent.isEmpty()) {
            LOG.warnf("Parent process %s is already gone: stopping", pid);
            Quarkus.asyncExit();
            return;
        }
        parent.get().onExit().thenRun(() -> {
            LOG.warnf("Parent process %s exited: stopping", pid);
            Quarkus.asyncExit();
        });
    }
}
