package dev.thumbnail.worker.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;

import org.junit.jupiter.api.Test;

class NativeBuffersTest {

    @Test
    void reusesASetAndItsMemoryForTheNextImage() {
        NativeBuffers buffers = new NativeBuffers(2);
        NativeBuffers.Set set = buffers.take();
        ByteBuffer source = set.source(100_000);
        long address = com.sun.jna.Pointer.nativeValue(set.sourcePointer());
        buffers.give(set);

        NativeBuffers.Set again = buffers.take();

        assertSame(set, again);
        assertEquals(100_000, source.capacity());
        assertEquals(90_000, again.source(90_000).remaining(), "a view of exactly the size asked for");
        assertEquals(address, com.sun.jna.Pointer.nativeValue(again.sourcePointer()), "no new allocation");
    }

    @Test
    void growsABufferTooSmallForTheNextImage() {
        NativeBuffers.Set set = new NativeBuffers(1).take();
        set.pixels(1_000);

        ByteBuffer larger = set.pixels(5_000_000);

        assertEquals(5_000_000, larger.remaining());
        larger.put(4_999_999, (byte) 7);
        assertEquals(7, larger.get(4_999_999));
    }

    @Test
    void holdsNoFreedBufferAfterAFailedAllocation() {
        NativeBuffers buffers = new NativeBuffers(1);
        NativeBuffers.Set set = buffers.take();
        set.source(1_000);

        assertThrows(OutOfMemoryError.class, () -> set.source(Long.MAX_VALUE / 4));
        buffers.give(set);

        assertEquals(0, set.capacity(), "the old buffer was freed and is not kept");
        NativeBuffers.Set again = buffers.take();
        again.source(1_000).put(999, (byte) 1);
        assertEquals(1, again.source(1_000).get(999));
    }

    @Test
    void keepsNoMoreIdleSetsThanItsBound() {
        NativeBuffers buffers = new NativeBuffers(2);
        NativeBuffers.Set a = buffers.take();
        NativeBuffers.Set b = buffers.take();
        NativeBuffers.Set c = buffers.take();
        assertNotSame(a, b);
        a.source(10);
        b.source(10);
        c.source(10);

        buffers.give(a);
        buffers.give(b);
        buffers.give(c);

        assertEquals(2, buffers.idle());
        assertEquals(0, c.capacity(), "the set beyond the bound was freed");
    }

    @Test
    void freesABufferGrownForAnUnusuallyLargeImage() {
        NativeBuffers buffers = new NativeBuffers(1);
        NativeBuffers.Set set = buffers.take();
        set.source(NativeBuffers.MAX_KEPT_BYTES + 1);
        set.pixels(1_000);

        buffers.give(set);

        assertTrue(set.capacity() < NativeBuffers.MAX_KEPT_BYTES, "only the small pixel buffer is kept");
        assertEquals(1, buffers.idle());
    }
}
