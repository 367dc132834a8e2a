package nl.loket.cluster;

import java.util.UUID;

/** An agent's connection: follows the conversations the agent holds, and hears about the account. */
public interface AgentFollower extends Follower {

    UUID agentId();

    /** The account's settings changed (topics, capacity): read them again. */
    void accountChanged();

    /** The account's tokens were revoked: close the connection. */
    void revoke();
}
