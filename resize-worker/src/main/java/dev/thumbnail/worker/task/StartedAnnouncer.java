package dev.thumbnail.worker.task;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import org.jboss.logging.Logger;

/**
 * Sends a task's STARTED event once it has run for {@code delay}, unless it ended first. One timer thread looks at
 * the tasks in flight every {@code delay / 4} (at least every 10 ms; so an event goes out between {@code delay} and
 * {@code 1.25 x delay} after the start for delays of 40 ms and more, plus the time the sends before it took), instead
 * of one timer per task: a timer per task woke that thread once for every task, at its expiry, cancelled or not,
 * which measured 0.08-0.09 ms of CPU per task on the 2-core benchmark machine (docs/BENCHMARKS.md, issue 11); the
 * tick costs the same whatever the load, and nothing when idle since it stops while no task is in flight.
 * <p>
 * A STARTED event is sent before its task's outcome or not at all: {@link Watch#close()} (the task ended) waits for
 * a send under way, and none starts after it. A STARTED behind the outcome would be ignored by the fold, but it
 * would be the last record of the task on the compacted topic, all that a rebuild of the view finds after compaction.
 */
final class StartedAnnouncer implements AutoCloseable {

    /** A task that may yet get its STARTED event; closed when the task ends. */
    interface Watch extends AutoCloseable {
        @Override
        void close();
    }

    private static final Logger LOG = Logger.getLogger(StartedAnnouncer.class);
    private static final Watch NOTHING = () -> {
    };
    private static final long MIN_TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

    private final long delayNanos;
    private final long tickNanos;
    private final LongSupplier clock;
    private final ScheduledExecutorService timer;
    private final Set<Pending> pending = ConcurrentHashMap.newKeySet();
    /** Whether a tick is scheduled; guarded by {@code this}. */
    private boolean ticking;

    /** @param delay how long a task runs before its STARTED event; zero: sent at once, on the caller's thread */
    StartedAnnouncer(Duration delay) {
        this(delay, System::nanoTime);
    }

    StartedAnnouncer(Duration delay, LongSupplier clock) {
        this.delayNanos = delay.toNanos();
        this.tickNanos = Math.max(MIN_TICK_NANOS, delayNanos / 4);
        this.clock = clock;
        this.timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "started-events");
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * Starts watching a task that has just started; {@code send} is called once, on the timer's thread, if the task
     * is still running {@code delay} later (at once, on this thread, when the delay is zero).
     */
    Watch watch(Runnable send) {
        if (delayNanos <= 0) {
            send.run();
            return NOTHING;
        }
        Pending task = new Pending(clock.getAsLong() + delayNanos, send);
        pending.add(task);
        synchronized (this) {
            if (!ticking && !timer.isShutdown()) {
                ticking = true;
                timer.schedule(this::tick, tickNanos, TimeUnit.NANOSECONDS);
            }
        }
        return task;
    }

    /** Tasks watched and not yet ended or announced. */
    int pending() {
        return pending.size();
    }

    /**
     * Sends what is due; ticks again while anything is watched. A send that throws costs its own task's STARTED
     * only (logged), never the next tick. Package-private for tests.
     */
    void tick() {
        try {
            long now = clock.getAsLong();
            for (Pending task : pending) {
                try {
                    task.sendIfDue(now);
                } catch (RuntimeException | Error e) {
                    LOG.warnf(e, "a STARTED event was not sent");
                }
            }
        } finally {
            synchronized (this) {
                // A watch() that added a task after the loop above sees ticking still true: its task is looked at
                // on the next tick, which is scheduled here because the set is not empty.
                ticking = !pending.isEmpty() && !timer.isShutdown();
                if (ticking) {
                    timer.schedule(this::tick, tickNanos, TimeUnit.NANOSECONDS);
                }
            }
        }
    }

    /** Stops the timer (the worker is stopping): no STARTED send starts after this. */
    @Override
    public void close() {
        synchronized (this) {
            timer.shutdownNow();
        }
    }

    private final class Pending implements Watch {
        private final long due;
        private final Runnable send;
        private boolean done;

        Pending(long due, Runnable send) {
            this.due = due;
            this.send = send;
        }

        synchronized void sendIfDue(long now) {
            if (!done && now - due >= 0) {
                done = true;
                pending.remove(this);
                if (!timer.isShutdown()) {
                    send.run();
                }
            }
        }

        @Override
        public synchronized void close() {
            done = true;
            pending.remove(this);
        }
    }
}
