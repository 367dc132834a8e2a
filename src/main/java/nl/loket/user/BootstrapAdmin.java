package nl.loket.user;

import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import nl.loket.config.LoketConfig;
import nl.loket.security.Roles;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/** Creates user "admin" on a fresh installation when LOKET_BOOTSTRAP_ADMIN_PASSWORD is set. */
@ApplicationScoped
public class BootstrapAdmin {

    void onStart(@Observes StartupEvent event, UserRepository users, LoketConfig config) {
        config.bootstrapAdminPassword().ifPresent(password -> {
            if (users.count().await().atMost(Duration.ofSeconds(30)) > 0) {
                return;
            }
            // "on conflict do nothing" in insert: two nodes starting together create one admin
            users.insert(new User(UUID.randomUUID(), "admin", "Beheerder", Set.of(Roles.ADMIN), List.of(), 3, true, "available", null),
                    Passwords.hash(password)).await().atMost(Duration.ofSeconds(30))
                    .ifPresent(u -> Log.info("Created bootstrap user 'admin'"));
        });
    }
}
