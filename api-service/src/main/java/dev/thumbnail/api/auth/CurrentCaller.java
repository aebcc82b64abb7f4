package dev.thumbnail.api.auth;

import jakarta.enterprise.context.RequestScoped;

/** The caller of the current request, set by {@link BearerAuthFilter} before any resource method runs. */
@RequestScoped
public class CurrentCaller {

    private Caller caller;

    void set(Caller caller) {
        this.caller = caller;
    }

    public Caller get() {
        if (caller == null) {
            throw new IllegalStateException("no caller: the authentication filter did not run for this request");
        }
        return caller;
    }
}
