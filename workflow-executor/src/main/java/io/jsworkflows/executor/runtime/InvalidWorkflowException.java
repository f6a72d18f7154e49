package io.jsworkflows.executor.runtime;

/** The workflow source does not compile or does not follow the workflow contract. */
public class InvalidWorkflowException extends RuntimeException {

    public InvalidWorkflowException(String message) {
        super(message);
    }
}
