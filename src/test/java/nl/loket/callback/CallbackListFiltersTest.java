package nl.loket.callback;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import nl.loket.Api;
import nl.loket.TestTopics;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

/**
 * The callback list's filters answer as the change feed's do (docs/protocol.md §1, §7, §8): a
 * topic that does not exist is a 400 naming {@code topic}, not an empty list that reads as "no
 * callback requests"; a blank filter is none.
 */
@QuarkusTest
class CallbackListFiltersTest {

    @Test
    void aTopicThatDoesNotExistIsRefusedAndABlankFilterIsNone() {
        String topic = TestTopics.create();
        String crm = Api.user("CRM", List.of("integrator"), List.of(), 3).token();
        String id = given().contentType(ContentType.JSON).body(Map.of("topic", topic, "phone", "0612345678"))
                .post("/api/v1/callbacks").then().statusCode(201).extract().path("id");

        // a typo in the topic: was 200 {"items":[]}
        given().auth().oauth2(crm).queryParam("topic", topic + "-typo").get("/api/v1/callbacks")
                .then().statusCode(400).contentType("application/problem+json")
                .body("type", equalTo("/problems/validation"))
                .body("errors[0].field", equalTo("topic"))
                .body("errors[0].message", equalTo("onbekend onderwerp / unknown topic"));
        // the topic itself lists the request
        given().auth().oauth2(crm).queryParam("topic", topic).get("/api/v1/callbacks")
                .then().statusCode(200).body("items.id", hasItem(id));
        // blank filters are no filters, as on the feed: was 400 on state and an empty list for topic
        given().auth().oauth2(crm).queryParam("topic", " ").queryParam("state", " ").get("/api/v1/callbacks")
                .then().statusCode(200).body("items.id", hasItem(id));
        // a state filter still filters
        given().auth().oauth2(crm).queryParam("topic", topic).queryParam("state", "done").get("/api/v1/callbacks")
                .then().statusCode(200).body("items.id", not(hasItem(id)));
    }
}
