package nl.loket.transcript;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.time.Instant;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The Klantinteracties mapping on a worked example, validated against the Open Klant schema. */
class KlantcontactTest {

    private static final ObjectMapper MAPPER = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    private static ConversationItem conversation(String state, String outcome, String summary, String locale, boolean confidential) {
        return new ConversationItem("3f2a9c1e-0000-4000-8000-000000000001", "paspoort-id", state, "Jan",
                Instant.parse("2026-11-30T09:00:48Z"), Instant.parse("2026-11-30T09:01:05Z"), Instant.parse("2026-11-30T09:09:00Z"),
                new ConversationItem.Agent("u7", "Anne"), outcome, 5, confidential, 4, Instant.parse("2026-11-30T09:09:00Z"),
                locale, summary, "closed");
    }

    @Test
    void aWorkedExample() throws Exception {
        Klantcontact k = Klantcontact.of(conversation("closed", "answered", "Verwezen naar online afspraak", "nl", false),
                "Paspoort en ID-kaart", "Mijn paspoort is verlopen", "https://loket.example/api/v1/conversations/3f2a/transcript.txt");
        JsonNode json = MAPPER.valueToTree(k);
        assertThat(json.get("kanaal").asText()).isEqualTo("chat");
        assertThat(json.get("onderwerp").asText()).isEqualTo("Paspoort en ID-kaart");
        assertThat(json.get("inhoud").asText()).isEqualTo("Verwezen naar online afspraak");
        assertThat(json.get("indicatieContactGelukt").asBoolean()).isTrue();
        assertThat(json.get("verdereActieOndernomen").asBoolean()).isFalse();
        assertThat(json.get("taal").asText()).isEqualTo("dut");
        assertThat(json.get("vertrouwelijk").asBoolean()).isFalse();
        assertThat(json.get("plaatsgevondenOp").asText()).isEqualTo("2026-11-30T09:01:05Z");
        assertThat(json.get("omvatteBijlagen").get(0).get("url").asText()).endsWith("/transcript.txt");
        assertThat(validate(json)).isEmpty();
    }

    @Test
    void withoutSummaryTheFirstResidentMessageIsTheContentCutAt1000() throws Exception {
        Klantcontact k = Klantcontact.of(conversation("closed", "no_response", null, "en", true), "Passport", "x".repeat(1500), "u");
        assertThat(k.inhoud()).hasSize(1000).endsWith("…");
        assertThat(k.taal()).isEqualTo("eng");
        assertThat(k.vertrouwelijk()).isTrue();
        assertThat(k.indicatieContactGelukt()).isFalse();
        assertThat(validate(MAPPER.valueToTree(k))).isEmpty();
    }

    @Test
    void outcomesAndStatesMapToContactGelukt() {
        assertThat(Klantcontact.of(conversation("closed", "referred", "s", "nl", false), "t", null, "u").indicatieContactGelukt()).isTrue();
        assertThat(Klantcontact.of(conversation("closed", "referred", "s", "nl", false), "t", null, "u").verdereActieOndernomen()).isTrue();
        assertThat(Klantcontact.of(conversation("closed", "other", "s", "nl", false), "t", null, "u").indicatieContactGelukt()).isNull();
        assertThat(Klantcontact.of(conversation("abandoned", null, null, "nl", false), "t", null, "u").indicatieContactGelukt()).isFalse();
        Klantcontact callback = Klantcontact.of(conversation("callback", null, null, "nl", false), "t", "bel me", "u");
        assertThat(callback.indicatieContactGelukt()).isNull();
        assertThat(callback.verdereActieOndernomen()).isTrue();
    }

    @Test
    void theSchemaRefusesAContactWithoutLanguageOrWithAnOverlongSubject() throws Exception {
        // proves the validation above has teeth: the schema is read and applied, not skipped
        com.fasterxml.jackson.databind.node.ObjectNode json = MAPPER.valueToTree(Klantcontact.of(
                conversation("closed", "answered", "s", "nl", false), "Paspoort", null, "u"));
        json.remove("taal");
        json.put("onderwerp", "o".repeat(201));
        assertThat(validate(json)).extracting(ValidationMessage::getMessage)
                .anyMatch(m -> m.contains("taal")).anyMatch(m -> m.contains("onderwerp"));
    }

    @Test
    void aLongTextIsCutBetweenCharactersNotInsideOne() {
        // an emoji is two chars in Java: cut after its first, the text would end in half a character
        String text = "a".repeat(998) + "\uD83D\uDE00 en verder";
        String cut = Klantcontact.truncate(text, 1000);
        assertThat(cut).isEqualTo("a".repeat(998) + "…");
        assertThat(Klantcontact.truncate("a".repeat(997) + "\uD83D\uDE00 en verder", 1000)).isEqualTo("a".repeat(997) + "\uD83D\uDE00…");
        assertThat(Klantcontact.truncate("kort", 1000)).isEqualTo("kort");
    }

    /** The writable fields of Klantcontact, extracted from the Open Klant API 0.9.0 (see the schema's description). */
    private static final String SCHEMA = "/klantinteracties-klantcontact.schema.json";

    static Set<ValidationMessage> validate(JsonNode json) throws Exception {
        try (InputStream in = KlantcontactTest.class.getResourceAsStream(SCHEMA)) {
            assertThat(in).as("test resource " + SCHEMA).isNotNull();
            JsonSchema schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(MAPPER.readTree(in));
            return schema.validate(json);
        }
    }
}
