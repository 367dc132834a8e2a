package nl.loket.web;

import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/** "/console" without the slash leads to the console, as people type it. */
@ApplicationScoped
public class FrontEndRoutes {

    void routes(@Observes Router router) {
        router.getWithRegex("^/console$").handler(rc -> rc.redirect("/console/"));
    }
}
