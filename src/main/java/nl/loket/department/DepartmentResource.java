package nl.loket.department;

import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.json.JsonString;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;
import nl.loket.department.Departments.DepartmentRequest;
import nl.loket.department.Departments.NoticeRequest;
import nl.loket.department.Views.DepartmentView;
import nl.loket.department.Views.NoticeView;
import nl.loket.security.Roles;
import nl.loket.security.TokenService;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * The departments' reachability board (docs/departments.md): every staff member reads it, admins
 * keep the departments, supervisors and admins write every department's notices, a department's
 * own people (role {@code department}) their own department's.
 */
@Path("/api/v1/departments")
@Tag(name = "departments", description = "Departments, their contact routes and reachability notices")
public class DepartmentResource {

    private final Departments departments;
    private final DepartmentBoard board;
    private final JsonWebToken jwt;

    public DepartmentResource(Departments departments, DepartmentBoard board, JsonWebToken jwt) {
        this.departments = departments;
        this.board = board;
        this.jwt = jwt;
    }

    @GET
    @RolesAllowed({Roles.AGENT, Roles.SUPERVISOR, Roles.ADMIN, Roles.INTEGRATOR, Roles.DEPARTMENT})
    @Operation(summary = "Every department with its contact routes, linked topics and the notices in force now (worst first)")
    public Uni<List<DepartmentView>> list() {
        return board.departments(Instant.now());
    }

    @GET
    @Path("{id}")
    @RolesAllowed({Roles.AGENT, Roles.SUPERVISOR, Roles.ADMIN, Roles.INTEGRATOR, Roles.DEPARTMENT})
    @Operation(summary = "One department with the notices in force now")
    public Uni<DepartmentView> get(@PathParam("id") String id) {
        return board.department(id, Instant.now()).map(found -> found.orElseThrow(DepartmentStore::unknownDepartment));
    }

    @POST
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Create a department (admin); without id, one is made from the name. 400 for a taken or malformed id, "
            + "a missing name, a contact route without label or value, an unknown topic; 409 department-name-taken (field name) for "
            + "a name another department has, case and surrounding spaces aside")
    @APIResponse(responseCode = "201", description = "Created: the department, with no notices yet")
    @APIResponse(responseCode = "403", description = "Not an admin")
    public Uni<Response> create(@NotNull DepartmentRequest request) {
        return departments.create(request, jwt.getName()).map(d -> Response.status(201).entity(d).build());
    }

    @PUT
    @Path("{id}")
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Change a department's name, contact routes and linked topics (admin); the lists are replaced. "
            + "409 department-name-taken (field name) when renamed to another department's name")
    @APIResponse(responseCode = "200", description = "The department with the notices in force now")
    @APIResponse(responseCode = "403", description = "Not an admin")
    public Uni<DepartmentView> update(@PathParam("id") String id, @NotNull DepartmentRequest request) {
        return departments.update(id, request, jwt.getName())
                .chain(d -> board.department(id, Instant.now()).map(fresh -> fresh.orElse(d)));
    }

    @GET
    @Path("{id}/notices")
    @RolesAllowed({Roles.AGENT, Roles.SUPERVISOR, Roles.ADMIN, Roles.INTEGRATOR, Roles.DEPARTMENT})
    @Operation(summary = "A department's notices: those still to come or in force; with all=true its whole history "
            + "(ended ones with endedAt and endedBy), newest first")
    public Uni<List<NoticeView>> notices(@PathParam("id") String id,
                                         @Parameter(description = "the whole history") @QueryParam("all") boolean all) {
        return departments.notices(id, all);
    }

    @POST
    @Path("{id}/notices")
    @RolesAllowed({Roles.SUPERVISOR, Roles.ADMIN, Roles.DEPARTMENT})
    @Operation(summary = "Set a reachability notice: kind normal|reduced|appointment_only|unreachable, from (default now), "
            + "until (default: until ended), agentText, optional residentText (nl) and residentTextEn. "
            + "The role department may do so only for its own department")
    @APIResponse(responseCode = "201", description = "The notice as stored, with setBy and setAt")
    @APIResponse(responseCode = "403", description = "Not this department's, nor a supervisor or admin")
    public Uni<Response> setNotice(@PathParam("id") String id, @NotNull NoticeRequest request) {
        return departments.setNotice(id, request, writer()).map(n -> Response.status(201).entity(n).build());
    }

    @DELETE
    @Path("{id}/notices/{noticeId}")
    @RolesAllowed({Roles.SUPERVISOR, Roles.ADMIN, Roles.DEPARTMENT})
    @Operation(summary = "End a notice now. It stays in the history with endedAt and endedBy; a notice that has already ended "
            + "or run out stays as it is")
    @APIResponse(responseCode = "204", description = "Ended")
    @APIResponse(responseCode = "403", description = "Not this department's, nor a supervisor or admin")
    public Uni<Response> endNotice(@PathParam("id") String id, @PathParam("noticeId") UUID noticeId) {
        return departments.endNotice(id, noticeId, writer()).map(ignored -> Response.noContent().build());
    }

    private Writer writer() {
        Object claim = jwt.getClaim(TokenService.DEPARTMENT_CLAIM);
        String department = claim instanceof JsonString s ? s.getString() : claim == null ? null : claim.toString();
        return new Writer(UUID.fromString(jwt.getSubject()), jwt.getName(), jwt.getGroups(), department);
    }
}
