package dev.thumbnail.api.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

/** The bounds on open event streams and waits, per owner and per instance, and places given back exactly once. */
class StreamQuotaTest {

    @Test
    void refusesAnOwnerPastItsPlacesAndTheInstancePastItsOwn() {
        StreamQuota quota = new StreamQuota(3, 2);
        StreamQuota.Place a1 = take(quota, "a", true);
        take(quota, "a", true);

        assertEquals(StreamQuota.Refusal.OWNER_FULL, quota.tryTake("a", true).refusal());
        StreamQuota.Place b = take(quota, "b", true);
        assertEquals(StreamQuota.Refusal.INSTANCE_FULL, quota.tryTake("c", true).refusal());
        assertEquals(StreamQuota.Refusal.INSTANCE_FULL, quota.tryTake("anonymous", false).refusal(),
                "without the owner's bound the instance's still holds");
        assertEquals(3, quota.open());
        assertEquals(2, quota.open("a"));

        a1.release();
        a1.release();
        assertEquals(2, quota.open(), "a place given back twice counts once");
        assertEquals(1, quota.open("a"));
        take(quota, "a", true);
        b.release();
        assertEquals(StreamQuota.Refusal.OWNER_FULL, quota.tryTake("a", true).refusal(),
                "the instance has room, the owner has not");
        assertEquals(2, quota.open(), "a refused attempt takes no place");
        take(quota, "c", true);
    }

    @Test
    void anOwnerWithoutItsBoundTakesAsManyAsTheInstanceHas() {
        StreamQuota quota = new StreamQuota(5, 1);
        for (int i = 0; i < 5; i++) {
            take(quota, "anonymous", false);
        }
        assertEquals(StreamQuota.Refusal.INSTANCE_FULL, quota.tryTake("anonymous", false).refusal());
        assertEquals(0, quota.open("anonymous"), "not counted per owner");
    }

    @Test
    void anOwnerWhoseLastPlaceIsGivenBackIsForgotten() {
        StreamQuota quota = new StreamQuota(10, 3);
        StreamQuota.Place place = take(quota, "a", true);
        place.release();
        assertEquals(0, quota.open());
        assertEquals(0, quota.open("a"));
        for (int i = 0; i < 3; i++) {
            take(quota, "a", true);
        }
        assertNull(quota.tryTake("a", true).place());
    }

    private static StreamQuota.Place take(StreamQuota quota, String owner, boolean ownerBound) {
        StreamQuota.Taken taken = quota.tryTake(owner, ownerBound);
        assertNotNull(taken.place(), owner + " refused: " + taken.refusal());
        return taken.place();
    }
}
