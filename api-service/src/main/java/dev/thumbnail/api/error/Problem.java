package dev.thumbnail.api.error;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * An RFC 9457 problem document ({@code application/problem+json}) with a stable {@code code} beside the standard
 * fields, so clients can branch on the code and show the detail.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail, String code) {

    public static final String MEDIA_TYPE = "application/problem+json";

    public static Problem of(int status, String code, String title, String detail) {
        return new Problem("urn:thumbnail:problem:" + code.toLowerCase(java.util.Locale.ROOT).replace('_', '-'),
                title, status, detail, code);
    }
}
