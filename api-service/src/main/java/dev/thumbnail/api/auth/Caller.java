package dev.thumbnail.api.auth;

/**
 * Who is calling: the owner id stamped on the tasks it creates (derived from its key, never the key) and whether it
 * may read every task.
 */
public record Caller(String owner, boolean admin) {

    /**
     * The caller when authentication is off (local use): one owner for every upload, and every task readable, as in
     * the old service.
     */
    public static final Caller ANONYMOUS = new Caller("anonymous", true);

    public boolean mayRead(String taskOwner) {
        return admin || owner.equals(taskOwner);
    }
}
