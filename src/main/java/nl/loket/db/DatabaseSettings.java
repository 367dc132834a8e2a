package nl.loket.db;

/**
 * What the operator configured about the database, read from the environment.
 *
 * @param url           {@code LOKET_DB_URL} ({@code postgresql://host:port/db}), or null for the embedded one
 * @param dataDir       where the embedded database keeps its files when it is not a throwaway
 * @param throwaway     dev mode and tests: a fresh embedded database per JVM, deleted at exit
 * @param generateKeys  no key files configured: keep a generated key pair in the database
 */
record DatabaseSettings(String url, String user, String password, String dataDir, boolean throwaway,
                        boolean generateKeys) {
}
