package io.redmatch.replicator;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class StandbyAckTest
{
    @Test
    void roundTrips()
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[512]);
        final int length = StandbyAck.encode(buffer, 7, 3, 1_000_001, 123_456_789_000L,
            "10.0.0.2".getBytes(StandardCharsets.US_ASCII), 7002);
        assertEquals(new StandbyAck(3, 1_000_001, 123_456_789_000L, "10.0.0.2", 7002),
            StandbyAck.decode(buffer, 7, length));
    }

    @Test
    void refusesOtherMessagesAndTruncation()
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[512]);
        final int length = StandbyAck.encode(buffer, 0, 1, 2, 3, "host".getBytes(StandardCharsets.US_ASCII), 1);
        assertNull(StandbyAck.decode(buffer, 0, length - 1));
        buffer.putInt(4, StandbyAck.VERSION + 1, java.nio.ByteOrder.LITTLE_ENDIAN);
        assertNull(StandbyAck.decode(buffer, 0, length));
        buffer.putInt(0, 0);
        assertNull(StandbyAck.decode(buffer, 0, length));
    }

    @Test
    void parsesInfoFields()
    {
        final Map<String, String> fields = PrimaryEndpoint.parseInfo(
            "# Replication\r\nrole:master\r\nreplication_port:4567\r\nlog_recording_id:0\r\n");
        assertEquals("master", fields.get("role"));
        assertEquals("4567", fields.get("replication_port"));
        assertEquals("0", fields.get("log_recording_id"));
    }
}
