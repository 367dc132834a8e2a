package nl.loket.topic;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import java.time.Instant;

/** {@code {"short":true,"until"?,"reason"?}}; "short" is a Java keyword, hence the mapping. */
public record CapacityBody(@JsonProperty("short") @NotNull Boolean isShort, Instant until, @Size(max = 500) String reason) {
}
