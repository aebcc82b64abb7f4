package dev.thumbnail.api.task;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import io.vertx.redis.client.impl.PooledRedisConnection;
import io.vertx.redis.client.impl.types.ErrorType;

/**
 * One Redis connection for the task view's commands, which every caller shares: commands are pipelined on it, the
 * replies come back in order. The Quarkus client borrows a pooled connection for each command and hands it back, which
 * measured 32 us of the API's CPU per status read out of 129, and 7 of Redis' 23 (issue 11); this is the same Vert.x
 * client, held open. It reconnects by itself: a command sent while the connection is down fails (the caller answers
 * 503 or retries), and the next one connects again.
 * <p>
 * A connection can also stop answering without ending: a network partition, or a peer gone without a reset, leaves
 * the socket open, and the kernel gives up on it only after its retransmissions (about 15 minutes with Linux' default
 * {@code tcp_retries2}); every command would wait on it until then. So a connection on which commands have waited
 * {@link #STALL_FACTOR} times {@code quarkus.redis.timeout} without any reply, or that has not opened in that time, is
 * closed (the commands on it fail) and the next command opens another.
 */
@ApplicationScoped
public class RedisLink {

    /**
     * How many times {@code quarkus.redis.timeout} a connection may go without a reply while commands wait on it before
     * it is taken for dead. Callers give up after the timeout itself (503), so one slow reply does not close it.
     */
    static final int STALL_FACTOR = 2;
    /** The client's message when more than its maximum of commands wait (vertx-redis-client 4.5). */
    private static final String QUEUE_FULL = "waiting queue is full";

    private final Redis client;
    private final Vertx vertx;
    private final long stallNanos;
    private final long watchdog;
    private Link link;

    public RedisLink(Vertx vertx, @ConfigProperty(name = "quarkus.redis.hosts") String hosts,
            @ConfigProperty(name = "quarkus.redis.timeout", defaultValue = "10s") Duration timeout) {
        // The view's commands are short and many callers share the connection: room for all of them in flight.
        // A connection given up on may hold its slot of the client's pool until its socket really ends (a close
        // waits for what was written to drain): room for several of those beside the one in use.
        this.client = Redis.createClient(vertx, new RedisOptions().setConnectionString(hosts.split(",")[0].strip())
                .setMaxWaitingHandlers(4096).setMaxPoolSize(16));
        this.vertx = vertx;
        this.stallNanos = timeout.multipliedBy(STALL_FACTOR).toNanos();
        this.watchdog = vertx.setPeriodic(Math.max(100, timeout.toMillis() / 4), id -> closeIfStalled());
    }

    /** One command. */
    public Uni<Response> send(Request request) {
        return Uni.createFrom().completionStage(() -> {
            Link used = link();
            return used.opening.compose(c -> used.answered(c.send(request))).toCompletionStage();
        });
    }

    /** Several commands, pipelined: one round trip. */
    public Uni<List<Response>> batch(List<Request> requests) {
        return Uni.createFrom().completionStage(() -> {
            Link used = link();
            return used.opening.compose(c -> used.answered(c.batch(requests))).toCompletionStage();
        });
    }

    private synchronized Link link() {
        Link current = link;
        if (current == null || current.opening.failed()) {
            current = new Link(client.connect());
            Future<RedisConnection> opening = current.opening;
            opening.onSuccess(opened -> {
                opened.exceptionHandler(e -> forget(opening, e));
                opened.endHandler(ended -> forget(opening, null));
            });
            link = current;
        }
        return current;
    }

    private synchronized void forget(Future<RedisConnection> ended, Throwable cause) {
        if (link != null && link.opening == ended) {
            drop();
            Log.infof("the task view's Redis connection ended%s; the next command opens another",
                    cause == null ? "" : " (" + cause.getMessage() + ")");
        }
    }

    /** Closes a connection that answers nothing, or gives up on one that does not open. */
    private synchronized void closeIfStalled() {
        Link current = link;
        if (current == null || current.opening.failed()) {
            return;
        }
        long now = System.nanoTime();
        if (!current.opening.isComplete()) {
            if (now - current.since > stallNanos) {
                drop();
                Log.warnf("the task view's Redis connection did not open within %d ms; the next command tries again",
                        TimeUnit.NANOSECONDS.toMillis(stallNanos));
            }
            return;
        }
        int waiting = current.waiting.get();
        long silent = now - current.lastProgress;
        if (waiting > 0 && silent > stallNanos) {
            drop();
            Log.warnf("no reply on the task view's Redis connection for %d ms while %d commands waited; closing it, "
                    + "the next command opens another", TimeUnit.NANOSECONDS.toMillis(silent), waiting);
        }
    }

    /**
     * Gives the current connection up: the next command opens another, and this one is closed for good (once open),
     * its commands failing, so that its slot in the client's pool is not held by a socket that failed or went silent.
     */
    private synchronized void drop() {
        Link dropped = link;
        link = null;
        dropped.opening.onSuccess(RedisLink::forceClose);
    }

    /** Closes the socket itself: {@code close()} would only hand the connection back to the client's pool, silent. */
    private static void forceClose(RedisConnection connection) {
        if (connection instanceof PooledRedisConnection pooled) {
            pooled.actual().forceClose();
        } else {
            connection.close();
        }
    }

    @PreDestroy
    void close() {
        vertx.cancelTimer(watchdog);
        client.close();
    }

    /** One connection, the commands waiting on it, and when it last made progress (a reply, or the first command). */
    private final class Link {
        final Future<RedisConnection> opening;
        final long since = System.nanoTime();
        final AtomicInteger waiting = new AtomicInteger();
        volatile long lastProgress = since;

        Link(Future<RedisConnection> opening) {
            this.opening = opening;
        }

        <T> Future<T> answered(Future<T> reply) {
            // The time first: the watchdog must never see a command waiting with an old time beside it.
            if (waiting.get() == 0) {
                lastProgress = System.nanoTime();
            }
            waiting.incrementAndGet();
            return reply.andThen(done -> {
                waiting.decrementAndGet();
                lastProgress = System.nanoTime();
                // A failure that is neither Redis' own error reply nor the client's full queue (a burst, passing)
                // means the connection itself is gone.
                if (done.failed() && !(done.cause() instanceof ErrorType)
                        && !String.valueOf(done.cause().getMessage()).contains(QUEUE_FULL)) {
                    forget(opening, done.cause());
                }
            });
        }
    }
}
