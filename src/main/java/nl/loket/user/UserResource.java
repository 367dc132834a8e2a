package nl.loket.user;

import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;
import io.vertx.core.json.JsonObject;
import nl.loket.audit.Audit;
import nl.loket.platform.LoketException;
import nl.loket.platform.Problem;
import nl.loket.platform.ValidationException;
import nl.loket.security.Roles;
import nl.loket.topic.Topic;
import nl.loket.topic.TopicRepository;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/** Staff accounts of the built-in issuer (admin only). */
@Path("/api/v1/admin/users")
@RolesAllowed(Roles.ADMIN)
@Tag(name = "admin")
public class UserResource {

    private final UserRepository users;
    private final TopicRepository topics;
    private final Audit audit;
    private final JsonWebToken jwt;

    public UserResource(UserRepository users, TopicRepository topics, Audit audit, JsonWebToken jwt) {
        this.users = users;
        this.topics = topics;
        this.audit = audit;
        this.jwt = jwt;
    }

    /** A temporary password the administrator passes on (by phone, say); the user must replace it at their next login. */
    public record ResetPassword(
            @NotNull @Size(min = 10, max = 200, message = "minstens 10 tekens / at least 10 characters") String temporaryPassword) {
    }

    @POST
    @Path("{id}/reset-password")
    @Operation(summary = "Set a temporary password: the account's tokens and connections are revoked, and until the user chose a "
            + "new one (POST /api/v1/auth/password) a login answers 403 password-change-required; 204; audited")
    @APIResponse(responseCode = "204", description = "The temporary password is set")
    public Uni<Response> resetPassword(@PathParam("id") UUID id, @NotNull @Valid ResetPassword body) {
        return Passwords.hashOffLoop(body.temporaryPassword())
                .chain(hash -> users.resetPassword(id, hash))
                .map(found -> found.orElseThrow(UserResource::unknown))
                .call(user -> audit.record(jwt.getName(), Roles.ADMIN, Audit.RESET_PASSWORD, null,
                        new JsonObject().put("userId", user.id().toString()).put("username", user.username())))
                .map(user -> Response.noContent().build());
    }

    /** What an admin sends; on PUT, a missing password keeps the current one. */
    public record UserRequest(
            @NotBlank @Size(max = 64) @Pattern(regexp = "[a-zA-Z0-9._@-]+", message = "alleen letters, cijfers en . _ @ - / only letters, digits and . _ @ -") String username,
            @NotBlank @Size(max = 100) String displayName,
            @Size(min = 10, max = 200, message = "minstens 10 tekens / at least 10 characters") String password,
            @NotNull @Size(min = 1, message = "minstens één rol / at least one role") Set<String> roles,
            List<String> topics,
            @Min(1) @Max(20) Integer maxConcurrent,
            Boolean active,
            // the department a user with the role "department" writes notices for (docs/departments.md)
            @Size(max = 40) String department) {
    }

    @GET
    public Uni<List<User>> list() {
        return users.all();
    }

    @GET
    @Path("{id}")
    public Uni<User> get(@PathParam("id") UUID id) {
        return users.find(id).map(found -> found.orElseThrow(UserResource::unknown));
    }

    @POST
    @APIResponse(responseCode = "201", description = "Created: the user, without the password",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = User.class)))
    public Uni<Response> create(@NotNull @Valid UserRequest request) {
        if (request.password() == null) {
            throw ValidationException.of("password", "verplicht / required");
        }
        return check(UUID.randomUUID(), request)
                .chain(user -> Passwords.hashOffLoop(request.password()).chain(hash -> users.insert(user, hash)))
                .map(created -> Response.status(201).entity(created.orElseThrow(() ->
                        ValidationException.of("username", "bestaat al / already exists"))).build());
    }

    @PUT
    @Path("{id}")
    public Uni<User> update(@PathParam("id") UUID id, @NotNull @Valid UserRequest request) {
        return get(id).chain(current -> {
            if (!current.username().equals(request.username())) {
                throw ValidationException.of("username", "kan niet worden gewijzigd / cannot be changed");
            }
            return check(id, request);
        }).chain(user -> (request.password() == null ? Uni.createFrom().<String>nullItem() : Passwords.hashOffLoop(request.password()))
                .chain(hash -> users.update(user, hash)))
                .map(updated -> updated.orElseThrow(UserResource::unknown));
    }

    private Uni<User> check(UUID id, UserRequest r) {
        return topics.all().map(all -> {
            List<Problem.FieldError> errors = new ArrayList<>();
            r.roles().stream().filter(role -> !Roles.STAFF.contains(role)).forEach(role ->
                    errors.add(new Problem.FieldError("roles", "onbekende rol / unknown role: " + role)));
            List<String> wanted = r.topics() == null ? List.of() : r.topics();
            Set<String> known = Set.copyOf(all.stream().map(Topic::id).toList());
            wanted.stream().filter(t -> !known.contains(t)).forEach(t ->
                    errors.add(new Problem.FieldError("topics", "onbekend onderwerp / unknown topic: " + t)));
            String department = r.department() == null || r.department().isBlank() ? null : r.department().strip();
            if (department == null && r.roles().contains(Roles.DEPARTMENT)) {
                errors.add(new Problem.FieldError("department", "verplicht bij de rol department / required with the role department"));
            }
            if (!errors.isEmpty()) {
                throw new ValidationException(errors);
            }
            // an unknown department is refused by the repository (a foreign key), as a field error
            return new User(id, r.username(), r.displayName(), r.roles(), List.copyOf(wanted),
                    r.maxConcurrent() == null ? 3 : r.maxConcurrent(), r.active() == null || r.active(), "available", department);
        });
    }

    private static LoketException unknown() {
        return new LoketException("not_found", 404, "Onbekende gebruiker. / Unknown user.");
    }
}
