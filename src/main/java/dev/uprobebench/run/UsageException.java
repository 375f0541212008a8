package dev.uprobebench.run;

/** Bad input from the user: a one-line message naming the problem and the valid choices; exit 2. */
public final class UsageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public UsageException(String message) {
        super(message);
    }
}
