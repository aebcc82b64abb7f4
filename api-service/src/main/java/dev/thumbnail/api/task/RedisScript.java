package dev.thumbnail.api.task;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;

/**
 * A Lua script from the class path ({@code redis/*.lua}), called by its SHA-1 ({@code EVALSHA}), so that only the
 * digest travels with each call; a Redis that does not know it yet (a new or restarted server) answers NOSCRIPT, and
 * the call is repeated once with the text ({@code EVAL}), which also caches it there.
 */
final class RedisScript {

    private final String name;
    private final String text;
    private final String sha;

    private RedisScript(String name, String text, String sha) {
        this.name = name;
        this.text = text;
        this.sha = sha;
    }

    /**
     * @param names what the script calls {@code N.<name>}: statuses, hash fields and counters, defined by the Java
     *              classes that own them and prepended to the script as the Lua table {@code N}, so that no name is
     *              written twice
     */
    static RedisScript load(String resource, Map<String, String> names) {
        try (InputStream in = RedisScript.class.getClassLoader().getResourceAsStream("redis/" + resource)) {
            if (in == null) {
                throw new IllegalStateException("script redis/" + resource + " is missing from the class path");
            }
            StringBuilder table = new StringBuilder("local N = {");
            new java.util.TreeMap<>(names).forEach((name, value) -> table.append(name).append(" = '")
                    .append(value).append("', "));
            String text = table.append("}\n").toString() + new String(in.readAllBytes(), StandardCharsets.UTF_8);
            byte[] digest = MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8));
            return new RedisScript(resource, text, HexFormat.of().formatHex(digest));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-1", e);
        }
    }

    String name() {
        return name;
    }

    /** {@code EVALSHA} with these keys and arguments. */
    Request call(List<String> keys, List<String> args) {
        return request(Command.EVALSHA, sha, keys, args);
    }

    /** The same call with the script's text, for when Redis answered NOSCRIPT. */
    Request callWithText(List<String> keys, List<String> args) {
        return request(Command.EVAL, text, keys, args);
    }

    /** Redis' NOSCRIPT error, alone ({@code NOSCRIPT ...}) or inside a batch's error ({@code ERR [0] NOSCRIPT ...}). */
    static boolean isNoScript(Throwable failure) {
        return failure.getMessage() != null && failure.getMessage().contains("NOSCRIPT");
    }

    private static Request request(Command command, String script, List<String> keys, List<String> args) {
        List<String> all = new ArrayList<>(2 + keys.size() + args.size());
        all.add(script);
        all.add(Integer.toString(keys.size()));
        all.addAll(keys);
        all.addAll(args);
        Request request = Request.cmd(command);
        all.forEach(request::arg);
        return request;
    }
}
