package nl.loket.db;

/**
 * Tells whether Quarkus is building (augmenting) the application rather than running it. The
 * build instantiates config sources too, and must not start a database or touch a real one.
 */
final class BuildDetector {

    private BuildDetector() {
    }

    static boolean isBuilding() {
        return StackWalker.getInstance().walk(frames -> frames.anyMatch(f -> {
            String c = f.getClassName();
            return c.startsWith("io.quarkus.deployment.QuarkusAugmentor")
                    || c.startsWith("io.quarkus.deployment.configuration.BuildTimeConfigurationReader")
                    || c.startsWith("io.quarkus.builder.")
                    || c.startsWith("io.quarkus.maven.");
        }));
    }
}
