package dev.thumbnail.api.task;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * How many event streams and {@code ?wait=} requests this instance holds open, in all and per owner (one API key), and
 * the bound on each. Every open one is a connection, a listener, and one Redis read on each change of its task on
 * the instance's shared Redis connection, whose client fails commands beyond 4,096 waiting for replies: without a
 * bound, one key could open enough of them to make the reads of a single change overflow that queue (found by a
 * security review) and hold memory without limit.
 */
final class StreamQuota {

    /** Why a place was refused. */
    enum Refusal {
        /** The owner holds its {@code perOwner} places. */
        OWNER_FULL,
        /** The instance holds its {@code total} places. */
        INSTANCE_FULL
    }

    /** A place taken; {@link #release()} gives it back, once however often it is called. */
    interface Place {
        void release();
    }

    /** What {@link #tryTake} gave: a place, or the refusal. */
    record Taken(Place place, Refusal refusal) {
    }

    private final int total;
    private final int perOwner;
    private final AtomicInteger open = new AtomicInteger();
    /** Owners with places held, and how many; counted and removed atomically per owner. */
    private final ConcurrentHashMap<String, Integer> byOwner = new ConcurrentHashMap<>();

    /**
     * @param total    most places on this instance
     * @param perOwner most places of one owner
     */
    StreamQuota(int total, int perOwner) {
        this.total = total;
        this.perOwner = perOwner;
    }

    /**
     * A place for one more stream or wait of {@code owner}, or why not. {@code ownerBound} false leaves the owner's
     * bound out (authentication off: every caller is the one anonymous owner, and the instance's bound is the one that
     * means something).
     */
    Taken tryTake(String owner, boolean ownerBound) {
        if (open.incrementAndGet() > total) {
            open.decrementAndGet();
            return new Taken(null, Refusal.INSTANCE_FULL);
        }
        if (ownerBound) {
            boolean[] taken = { false };
            byOwner.compute(owner, (key, held) -> {
                int count = held == null ? 0 : held;
                if (count >= perOwner) {
                    return held;
                }
                taken[0] = true;
                return count + 1;
            });
            if (!taken[0]) {
                open.decrementAndGet();
                return new Taken(null, Refusal.OWNER_FULL);
            }
        }
        AtomicBoolean released = new AtomicBoolean();
        return new Taken(() -> {
            if (released.compareAndSet(false, true)) {
                open.decrementAndGet();
                if (ownerBound) {
                    // Gone with the owner's last place, so that the map holds only owners with places held.
                    byOwner.computeIfPresent(owner, (key, held) -> held <= 1 ? null : held - 1);
                }
            }
        }, null);
    }

    /** Places held now, in all. */
    int open() {
        return open.get();
    }

    /** Places held now by {@code owner} (owners counted only; 0 for others). */
    int open(String owner) {
        return byOwner.getOrDefault(owner, 0);
    }
}
