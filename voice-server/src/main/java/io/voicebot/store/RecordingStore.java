package io.voicebot.store;

import java.sql.PreparedStatement;
import java.time.Instant;
import java.util.List;

/** The recording columns of calls: set by the recording writer, cleared by retention. */
public final class RecordingStore {
    public static final String WRITING = "writing";
    public static final String COMPLETE = "complete";
    /** Frames were lost (the writer fell behind): the file has silence where they were. */
    public static final String INCOMPLETE = "incomplete";

    /** A call whose recording retention may delete. */
    public record Stored(String callUuid, String path, Instant startedAt) {}

    private final Database db;

    public RecordingStore(Database db) {
        this.db = db;
    }

    /** Sets the call's recording path and state; false when there is no such call. */
    public boolean set(String callUuid, String path, String state) {
        return db.query(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE calls SET recording_path = ?, recording_state = ? WHERE call_uuid = ?")) {
                ps.setString(1, path);
                ps.setString(2, state);
                ps.setString(3, callUuid);
                return ps.executeUpdate() == 1;
            }
        });
    }

    /** Recordings of calls that started before {@code before}, oldest first, at most {@code limit}. */
    public List<Stored> startedBefore(Instant before, int limit) {
        return db.query(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT call_uuid, recording_path, started_at FROM calls "
                    + "WHERE recording_path IS NOT NULL AND started_at < ? ORDER BY started_at, id LIMIT " + limit)) {
                Sql.setInstant(ps, 1, before);
                return Rows.list(ps, rs -> new Stored(rs.getString("call_uuid"), rs.getString("recording_path"),
                        Sql.getInstant(rs, "started_at")));
            }
        });
    }

    /** Forgets the call's recording (its file is gone). */
    public void clear(String callUuid) {
        set(callUuid, null, null);
    }
}
