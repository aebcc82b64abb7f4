package dev.thumbnail.worker.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

class StartedAnnouncerTest {

    private static final Duration DELAY = Duration.ofMillis(100);

    /** A clock that moves only when told, so that the timer's own ticks find nothing due. */
    private final AtomicLong now = new AtomicLong(1_000_000_000L);

    @Test
    void announcesATaskStillRunningAfterTheDelayOnce() {
        AtomicInteger sent = new AtomicInteger();
        try (StartedAnnouncer announcer = new StartedAnnouncer(DELAY, now::get)) {
            StartedAnnouncer.Watch task = announcer.watch(sent::incrementAndGet);

            now.addAndGet(DELAY.toNanos() - 1);
            announcer.tick();
            assertEquals(0, sent.get(), "not due yet");

            now.addAndGet(1);
            announcer.tick();
            announcer.tick();
            task.close();

            assertEquals(1, sent.get());
            assertEquals(0, announcer.pending());
        }
    }

    @Test
    void neverAnnouncesATaskThatEndedFirst() {
        AtomicInteger sent = new AtomicInteger();
        try (StartedAnnouncer announcer = new StartedAnnouncer(DELAY, now::get)) {
            announcer.watch(sent::incrementAndGet).close();

            now.addAndGet(DELAY.toNanos() * 10);
            announcer.tick();

            assertEquals(0, sent.get());
            assertEquals(0, announcer.pending());
        }
    }

    /** A send that throws (an Error from serialising, say) costs its own task's STARTED, not the timer's. */
    @Test
    void aSendThatThrowsDoesNotStopTheTimer() throws Exception {
        CountDownLatch later = new CountDownLatch(1);
        try (StartedAnnouncer announcer = new StartedAnnouncer(Duration.ofMillis(20))) {
            StartedAnnouncer.Watch failing = announcer.watch(() -> {
                throw new OutOfMemoryError("test: serialising the event failed");
            });
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (announcer.pending() > 0 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertEquals(0, announcer.pending(), "the failing send was tried");
            failing.close();

            announcer.watch(later::countDown);

            assertTrue(later.await(5, TimeUnit.SECONDS), "a later task is still announced");
        }
    }

    @Test
    void sendsNothingOnceClosed() {
        AtomicInteger sent = new AtomicInteger();
        StartedAnnouncer announcer = new StartedAnnouncer(DELAY, now::get);
        announcer.watch(sent::incrementAndGet);
        announcer.close();

        now.addAndGet(DELAY.toNanos());
        announcer.tick();

        assertEquals(0, sent.get());
    }

    @Test
    void aZeroDelayAnnouncesAtOnceOnTheCallersThread() {
        Thread[] sender = new Thread[1];
        try (StartedAnnouncer announcer = new StartedAnnouncer(Duration.ZERO, now::get)) {
            announcer.watch(() -> sender[0] = Thread.currentThread());

            assertEquals(Thread.currentThread(), sender[0]);
            assertEquals(0, announcer.pending());
        }
    }

    /** The real clock and the announcer's own timer: the event goes out between the delay and a tick after it. */
    @Test
    void theTimerAnnouncesWithoutBeingAsked() throws Exception {
        long[] after = new long[2];
        try (StartedAnnouncer announcer = new StartedAnnouncer(DELAY)) {
            for (int task = 0; task < 2; task++) {
                // The second task comes once nothing is watched, when the timer has stopped ticking.
                CountDownLatch sent = new CountDownLatch(1);
                long start = System.nanoTime();
                int index = task;
                announcer.watch(() -> {
                    after[index] = System.nanoTime() - start;
                    sent.countDown();
                });
                assertTrue(sent.await(5, TimeUnit.SECONDS), "task " + task + " is announced");
                assertEquals(0, announcer.pending());
            }
        }
        for (long nanos : after) {
            assertTrue(nanos >= DELAY.toNanos(), "not before the delay: " + nanos / 1_000_000 + " ms");
            assertTrue(nanos < DELAY.toNanos() * 10, "soon after it: " + nanos / 1_000_000 + " ms");
        }
    }
}
