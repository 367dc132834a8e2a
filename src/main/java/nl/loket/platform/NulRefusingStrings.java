package nl.loket.platform;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.BeanProperty;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.deser.ContextualDeserializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.deser.std.StringDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import io.quarkus.jackson.ObjectMapperCustomizer;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.util.Set;

/**
 * Every string the application's ObjectMapper reads (REST bodies and both sockets' frames) is
 * in a typed field is refused when it holds a NUL character ({@link NulCharacters}): REST answers 400 problem+json
 * naming the field ({@link ProblemMappers#json}), a socket a {@code bad_request} error frame
 * ({@link Inbound}). One guard instead of a check per field.
 */
@Singleton
public class NulRefusingStrings implements ObjectMapperCustomizer {

    @Override
    public void customize(ObjectMapper mapper) {
        mapper.registerModule(new SimpleModule("loket-nul-refusing-strings").addDeserializer(String.class, new Deserializer()));
    }

    /**
     * Guards the strings of a typed field (a record's component, a list of them); the plain
     * instance, for untyped reads (a Vert.x JsonObject, a {@code Map<String, Object>} at the top),
     * lets them through: those are the application reading its own JSON, and a client reading
     * an error frame that echoes its clientMsgId.
     */
    static final class Deserializer extends StdScalarDeserializer<String> implements ContextualDeserializer {

        private final boolean guarded;

        Deserializer() {
            this(false);
        }

        private Deserializer(boolean guarded) {
            super(String.class);
            this.guarded = guarded;
        }

        @Override
        public JsonDeserializer<?> createContextual(DeserializationContext ctxt, BeanProperty property) {
            return property == null ? this : new Deserializer(true);
        }

        @Override
        public String deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            String text = StringDeserializer.instance.deserialize(p, ctxt);
            if (guarded && NulCharacters.in(text) && !checkedByHandler(p, ctxt)) {
                throw new NulCharacters.Refused(p);
            }
            return text;
        }

        private static boolean checkedByHandler(JsonParser p, DeserializationContext ctxt) throws IOException {
            return ctxt.getAttribute(NulCharacters.CHECKED_BY_HANDLER) instanceof Set<?> fields && fields.contains(p.currentName());
        }
    }
}
