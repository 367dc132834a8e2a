package nl.loket.department;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;

import java.util.List;

/** How a department is usually reached: {@code kind} is phone, email, web, desk or other. */
public record ContactRoute(String kind, String label, String value) {

    /** The routes as the JSON array the column holds, with a mapper of its own (not the REST one). */
    @Converter
    public static class Column implements AttributeConverter<List<ContactRoute>, String> {

        private static final ObjectMapper JSON = new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        private static final TypeReference<List<ContactRoute>> LIST = new TypeReference<>() {
        };

        @Override
        public String convertToDatabaseColumn(List<ContactRoute> routes) {
            try {
                return JSON.writeValueAsString(routes == null ? List.of() : routes);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("contact routes could not be written", e);
            }
        }

        @Override
        public List<ContactRoute> convertToEntityAttribute(String column) {
            try {
                return column == null ? List.of() : List.copyOf(JSON.readValue(column, LIST));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("contact routes could not be read", e);
            }
        }
    }
}
