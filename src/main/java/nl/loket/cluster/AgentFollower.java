package nl.loket.cluster;

import java.util.UUID;

/** An agent's connection: follows the conversations the agent holds, and hears about the account. */
public interface AgentFollower extends Follower {

    UUID agentId();

    /** The account's settings changed (topics, capacity): read them again. */
    void accountChanged();

    /**
     * The account's token generation rose to {@code generation}: a connection opened with an
     * older token closes (1008), as "account disabled" when the account is no longer active.
     */
    void revoke(long generation, boolean active);

    /** The token with this id was revoked (a logout): a connection opened with it closes (1008 "logged out"). */
    void loggedOut(String tokenId);
}
