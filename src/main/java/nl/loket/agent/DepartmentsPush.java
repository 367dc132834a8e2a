package nl.loket.agent;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;
import nl.loket.cluster.AgentFollower;
import nl.loket.cluster.Fanout;
import nl.loket.platform.Signal;

/**
 * Tells every agent connection on this node that the departments' board changed, so a console
 * reads {@code GET /api/v1/departments} again at once rather than at its next poll: an agent must
 * not answer a resident against a notice already placed or ended (docs/departments.md). One
 * {@code departments_changed} per connection and change, without content; the console reads the
 * board, which every node keeps in memory.
 *
 * <p>Observed after the default priority, so after {@code DepartmentBoard} has started its reload:
 * a console's read that follows the frame waits for the new board, never gets the old one. After
 * the listener comes back ({@link Signal.Resync}) a change heard by nobody here may have been
 * missed, so the consoles are told too.
 */
@ApplicationScoped
public class DepartmentsPush {

    static final int AFTER_THE_BOARD = Interceptor.Priority.APPLICATION + 1000;

    private final Fanout fanout;

    public DepartmentsPush(Fanout fanout) {
        this.fanout = fanout;
    }

    void onChange(@Observes @Priority(AFTER_THE_BOARD) Signal.Departments changed) {
        tellAgents();
    }

    void onResync(@Observes @Priority(AFTER_THE_BOARD) Signal.Resync resync) {
        tellAgents();
    }

    private void tellAgents() {
        for (AgentFollower agent : fanout.agents()) {
            if (agent instanceof AgentSession session) {
                session.departmentsChanged();
            }
        }
    }
}
