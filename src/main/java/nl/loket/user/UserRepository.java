package nl.loket.user;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import nl.loket.cluster.Signal;
import nl.loket.common.Db;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

@ApplicationScoped
public class UserRepository {

    private final Db db;

    public UserRepository(Db db) {
        this.db = db;
    }

    public Uni<List<User>> all() {
        return db.query("select " + User.COLUMNS + " from app_user order by username").map(rows -> {
            List<User> users = new ArrayList<>();
            rows.forEach(r -> users.add(User.map(r)));
            return users;
        });
    }

    public Uni<Optional<User>> find(UUID id) {
        return db.query("select " + User.COLUMNS + " from app_user where id = $1", Tuple.of(id)).map(UserRepository::first);
    }

    /** The user and their password hash, for a login. */
    public record Credentials(User user, String passwordHash) {
    }

    public Uni<Optional<Credentials>> credentials(String username) {
        return db.query("select " + User.COLUMNS + ", password_hash from app_user where username = $1", Tuple.of(username))
                .map(rows -> rows.size() == 0 ? Optional.empty()
                        : Optional.of(new Credentials(User.map(rows.iterator().next()), rows.iterator().next().getString("password_hash"))));
    }

    /** Inserts a user; empty when the username is taken. */
    public Uni<Optional<User>> insert(User u, String passwordHash) {
        return db.query("insert into app_user (id, username, display_name, password_hash, roles, topics, max_concurrent, active) "
                                + "values ($1, $2, $3, $4, $5, $6, $7, $8) on conflict (username) do nothing returning " + User.COLUMNS,
                        Tuple.tuple(Arrays.asList(u.id(), u.username(), u.displayName(), passwordHash,
                                u.roles().toArray(new String[0]), u.topics().toArray(new String[0]), u.maxConcurrent(), u.active())))
                .map(UserRepository::first);
    }

    /** Replaces a user's settings (and password when given); empty when unknown. */
    public Uni<Optional<User>> update(User u, String passwordHash) {
        return db.tx(tx -> {
            tx.signal(new Signal.Agent(u.id()));
            if (!u.active()) {
                tx.signal(new Signal.Revoke(u.id()));
            }
            return tx.query("update app_user set display_name = $2, password_hash = coalesce($3, password_hash), roles = $4, "
                                    + "topics = $5, max_concurrent = $6, active = $7, updated_at = now() where id = $1 returning " + User.COLUMNS,
                            Tuple.tuple(Arrays.asList(u.id(), u.displayName(), passwordHash, u.roles().toArray(new String[0]),
                                    u.topics().toArray(new String[0]), u.maxConcurrent(), u.active())))
                    .map(UserRepository::first);
        });
    }

    public Uni<Void> setStatus(UUID id, String status) {
        return db.tx(tx -> {
            tx.signal(new Signal.Agent(id));
            return tx.query("update app_user set chosen_status = $2, updated_at = now() where id = $1", Tuple.of(id, status))
                    .replaceWithVoid();
        });
    }

    public Uni<Boolean> isActive(UUID id) {
        return db.query("select active from app_user where id = $1", Tuple.of(id))
                .map(rows -> rows.size() > 0 && rows.iterator().next().getBoolean("active"));
    }

    public Uni<Long> count() {
        return db.query("select count(*) as n from app_user").map(rows -> rows.iterator().next().getLong("n"));
    }

    private static Optional<User> first(io.vertx.mutiny.sqlclient.RowSet<Row> rows) {
        return rows.size() == 0 ? Optional.empty() : Optional.of(User.map(rows.iterator().next()));
    }
}
