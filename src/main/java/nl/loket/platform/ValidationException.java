package nl.loket.platform;

import java.util.List;

/** Field errors found by a check that annotations cannot express (an unknown topic, say). */
public class ValidationException extends RuntimeException {

    private final List<Problem.FieldError> errors;

    public ValidationException(List<Problem.FieldError> errors) {
        super("validation failed", null, false, false);
        this.errors = List.copyOf(errors);
    }

    public static ValidationException of(String field, String message) {
        return new ValidationException(List.of(new Problem.FieldError(field, message)));
    }

    public List<Problem.FieldError> errors() {
        return errors;
    }
}
