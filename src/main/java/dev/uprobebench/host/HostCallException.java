package dev.uprobebench.host;

/** A host call that failed: the call with its arguments, errno and {@code strerror(errno)}. */
public final class HostCallException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int errno;

    HostCallException(String call, int errno) {
        super(call + " failed: " + Libc.strerror(errno) + " (errno " + errno + ")");
        this.errno = errno;
    }

    /** The C errno of the failed call. */
    public int errno() {
        return errno;
    }
}
