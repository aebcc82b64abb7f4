package dev.thumbnail.storage;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import org.junit.jupiter.api.Test;

import software.amazon.awssdk.auth.credentials.internal.WebIdentityCredentialsUtils;

/**
 * A role for the pods (IRSA on EKS) reaches the AWS SDK as a web identity token file, which the default credential
 * chain ({@link S3Bucket}) exchanges for credentials through STS, loaded by name when that step runs. Without the
 * {@code sts} module on the class path the step logged a warning and was skipped, and the bucket stayed DOWN on a
 * cluster that gave the pods a role. The SDK's own lookup of that module (an internal class: the public providers
 * only fail on first use, against the network) is what this asks.
 */
class WebIdentityCredentialsTest {

    @Test
    void theDefaultCredentialChainCanExchangeAWebIdentityToken() {
        assertNotNull(WebIdentityCredentialsUtils.factory());
    }
}
