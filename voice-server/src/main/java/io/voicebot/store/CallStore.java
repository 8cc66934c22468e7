package io.voicebot.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** Calls, their turns and answers (do-not-call is in {@link DncStore}). Blocking JDBC: call it from a worker thread. */
public final class CallStore {

    public enum Direction {
        INBOUND, OUTBOUND;

        String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public enum InputMode {
        SPEECH, DTMF, NONE;

        String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** One call; {@code id} is null until inserted. Times are UTC, kept to milliseconds. */
    public record CallRecord(Long id, String callUuid, Direction direction, Long attemptId, String dialogName,
                             String callerNumber, String calledNumber, Instant startedAt, Instant answeredAt,
                             Instant endedAt, String outcome, boolean disclosurePlayed, String transferQueue,
                             String variablesJson) {

        /** A call that has just started and has nothing else yet. */
        public static CallRecord started(String callUuid, Direction direction, String dialogName,
                                         String callerNumber, String calledNumber, Instant startedAt) {
            return new CallRecord(null, callUuid, direction, null, dialogName, callerNumber, calledNumber,
                    startedAt, null, null, null, false, null, null);
        }

        public CallRecord withId(long newId) {
            return new CallRecord(newId, callUuid, direction, attemptId, dialogName, callerNumber, calledNumber,
                    startedAt, answeredAt, endedAt, outcome, disclosurePlayed, transferQueue, variablesJson);
        }

        public CallRecord withAttempt(Long attempt) {
            return new CallRecord(id, callUuid, direction, attempt, dialogName, callerNumber, calledNumber,
                    startedAt, answeredAt, endedAt, outcome, disclosurePlayed, transferQueue, variablesJson);
        }

        public CallRecord answered(Instant at) {
            return new CallRecord(id, callUuid, direction, attemptId, dialogName, callerNumber, calledNumber,
                    startedAt, at, endedAt, outcome, disclosurePlayed, transferQueue, variablesJson);
        }

        public CallRecord ended(Instant at, String callOutcome) {
            return new CallRecord(id, callUuid, direction, attemptId, dialogName, callerNumber, calledNumber,
                    startedAt, answeredAt, at, callOutcome, disclosurePlayed, transferQueue, variablesJson);
        }

        public CallRecord withDisclosurePlayed(boolean played) {
            return new CallRecord(id, callUuid, direction, attemptId, dialogName, callerNumber, calledNumber,
                    startedAt, answeredAt, endedAt, outcome, played, transferQueue, variablesJson);
        }

        public CallRecord withTransferQueue(String queue) {
            return new CallRecord(id, callUuid, direction, attemptId, dialogName, callerNumber, calledNumber,
                    startedAt, answeredAt, endedAt, outcome, disclosurePlayed, queue, variablesJson);
        }

        public CallRecord withVariables(String json) {
            return new CallRecord(id, callUuid, direction, attemptId, dialogName, callerNumber, calledNumber,
                    startedAt, answeredAt, endedAt, outcome, disclosurePlayed, transferQueue, json);
        }
    }

    /**
     * One prompt/response exchange of a call. Millisecond offsets are relative to {@code startedAt}. {@code stepId}
     * and {@code note}: the dialog step and what the dialog made of the input ("no match", "accepted", ...);
     * {@code cutBy} ("barge_in" or "hangup") and {@code cutText}: the robot's speech of the turn that did not play
     * to its end. These four are null on turns stored before they were kept.
     */
    public record Turn(long callId, int seq, String promptText, String transcript, Double confidence,
                       String intent, InputMode inputMode, Instant startedAt, Integer promptMs,
                       Integer speechStartMs, Integer speechEndMs, Integer latencyMs, String stepId, String note,
                       String cutBy, String cutText) {

        /** A turn without step, note or cut speech. */
        public Turn(long callId, int seq, String promptText, String transcript, Double confidence, String intent,
                    InputMode inputMode, Instant startedAt, Integer promptMs, Integer speechStartMs,
                    Integer speechEndMs, Integer latencyMs) {
            this(callId, seq, promptText, transcript, confidence, intent, inputMode, startedAt, promptMs,
                    speechStartMs, speechEndMs, latencyMs, null, null, null, null);
        }
    }

    /** The answer to one question of a call; saving the same key again replaces it. */
    public record Answer(long callId, String questionKey, String value, Double confidence, boolean confirmed,
                         Instant createdAt) {}

    static final String CALL_COLUMNS = "id, call_uuid, direction, attempt_id, dialog_name, caller_number, "
            + "called_number, started_at, answered_at, ended_at, outcome, disclosure_played, transfer_queue, variables";

    private final Database db;
    /** The node whose calls this store inserts (calls.node_id); null outside a server (tests, CLI). */
    private final String nodeId;

    public CallStore(Database db) {
        this(db, null);
    }

    public CallStore(Database db, String nodeId) {
        this.db = db;
        this.nodeId = nodeId;
    }

    private volatile WriteJournal journal;

    /**
     * Turns, answers and call updates made through this instance go through {@code j}: kept and applied later
     * while the database is unreachable (see {@link WriteJournal}). For the calls' own store, not the API's.
     */
    public CallStore journaled(WriteJournal j) {
        j.register("turn", Turn.class, this::storeTurn);
        j.register("answer", Answer.class, this::storeAnswer);
        j.register("call", CallRecord.class, this::storeCall);
        this.journal = j;
        return this;
    }

    /** A call left open: its uuid, the attempt it belongs to (or null) and when it started. */
    public record OpenCall(String callUuid, Long attemptId, Instant startedAt) {}

    /**
     * Closes the calls of {@code node} that have no end: at start-up, before the node takes calls, every one of
     * them was left open by its previous run (kill -9, power). Calls of other nodes are never touched: a live
     * node may be running them. Returns what it closed.
     */
    public List<OpenCall> closeOpenCalls(String node, Instant endedAt, String outcome) {
        return db.transaction(c -> {
            List<OpenCall> open = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT call_uuid, attempt_id, started_at FROM calls "
                    + "WHERE node_id = ? AND ended_at IS NULL ORDER BY id FOR UPDATE")) {
                ps.setString(1, node);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        open.add(new OpenCall(rs.getString("call_uuid"), Sql.getLongOrNull(rs, "attempt_id"),
                                Sql.getInstant(rs, "started_at")));
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement("UPDATE calls SET ended_at = ?, outcome = ? "
                    + "WHERE node_id = ? AND ended_at IS NULL")) {
                Sql.setInstant(ps, 1, endedAt);
                ps.setString(2, outcome);
                ps.setString(3, node);
                ps.executeUpdate();
            }
            return open;
        });
    }

    /** Inserts a new call; returns it with its id. A duplicate call uuid is a StoreException. */
    public CallRecord insertCall(CallRecord call) {
        if (call.id() != null) {
            throw new IllegalArgumentException("call " + call.callUuid() + " is already stored (id " + call.id() + ")");
        }
        long id = db.query(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO calls (call_uuid, direction, attempt_id, "
                    + "dialog_name, caller_number, called_number, started_at, answered_at, ended_at, outcome, "
                    + "disclosure_played, transfer_queue, variables, node_id) "
                    + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    Statement.RETURN_GENERATED_KEYS)) {
                ps.setString(1, call.callUuid());
                ps.setString(2, call.direction().id());
                int next = bindMutable(ps, 3, call);
                ps.setString(next, nodeId);
                ps.executeUpdate();
                return Sql.generatedKey(ps);
            }
        });
        return normalized(call.withId(id));
    }

    /**
     * Writes every field of a stored call (matched by its uuid); false when there is no such call. Journaled:
     * true when kept for later.
     */
    public boolean updateCall(CallRecord call) {
        WriteJournal j = journal;
        return j == null ? storeCall(call) : j.write("call", call, this::storeCall, true);
    }

    private boolean storeCall(CallRecord call) {
        return db.query(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE calls SET attempt_id = ?, dialog_name = ?, "
                    + "caller_number = ?, called_number = ?, started_at = ?, answered_at = ?, ended_at = ?, "
                    + "outcome = ?, disclosure_played = ?, transfer_queue = ?, variables = ? WHERE call_uuid = ?")) {
                int next = bindMutable(ps, 1, call);
                ps.setString(next, call.callUuid());
                return ps.executeUpdate() == 1;
            }
        });
    }

    /** Sets ended_at and outcome and nothing else; false when there is no such call. */
    public boolean endCall(String callUuid, Instant endedAt, String outcome) {
        return db.query(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE calls SET ended_at = ?, outcome = ? WHERE call_uuid = ?")) {
                Sql.setInstant(ps, 1, endedAt);
                ps.setString(2, outcome);
                ps.setString(3, callUuid);
                return ps.executeUpdate() == 1;
            }
        });
    }

    public Optional<CallRecord> findCall(String callUuid) {
        return db.query(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT " + CALL_COLUMNS + " FROM calls WHERE call_uuid = ?")) {
                ps.setString(1, callUuid);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(readCall(rs)) : Optional.<CallRecord>empty();
                }
            }
        });
    }

    /** By row id (calls.id), as {@link io.voicebot.store.CallStore.Turn#callId()} names it. */
    public Optional<CallRecord> findCallById(long id) {
        return db.query(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + CALL_COLUMNS + " FROM calls WHERE id = ?")) {
                ps.setLong(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(readCall(rs)) : Optional.<CallRecord>empty();
                }
            }
        });
    }

    public void insertTurn(Turn t) {
        WriteJournal j = journal;
        if (j == null) {
            storeTurn(t);
        } else {
            j.write("turn", t);
        }
    }

    private void storeTurn(Turn t) {
        db.query(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO turns (call_id, seq, prompt_text, "
                    + "transcript, confidence, intent, input_mode, started_at, prompt_ms, speech_start_ms, "
                    + "speech_end_ms, latency_ms, step_id, note, cut_by, cut_text) "
                    + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                ps.setLong(1, t.callId());
                ps.setInt(2, t.seq());
                ps.setString(3, t.promptText());
                ps.setString(4, t.transcript());
                Sql.setDouble(ps, 5, t.confidence());
                ps.setString(6, t.intent());
                ps.setString(7, t.inputMode().id());
                Sql.setInstant(ps, 8, t.startedAt());
                Sql.setInteger(ps, 9, t.promptMs());
                Sql.setInteger(ps, 10, t.speechStartMs());
                Sql.setInteger(ps, 11, t.speechEndMs());
                Sql.setInteger(ps, 12, t.latencyMs());
                ps.setString(13, t.stepId());
                ps.setString(14, t.note() == null || t.note().length() <= 200 ? t.note() : t.note().substring(0, 200));
                ps.setString(15, t.cutBy());
                ps.setString(16, t.cutText());
                return ps.executeUpdate();
            }
        });
    }

    /** The call's turns in order. */
    public List<Turn> turns(long callId) {
        return db.query(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT call_id, seq, prompt_text, transcript, "
                    + "confidence, intent, input_mode, started_at, prompt_ms, speech_start_ms, speech_end_ms, "
                    + "latency_ms, step_id, note, cut_by, cut_text FROM turns WHERE call_id = ? ORDER BY seq")) {
                ps.setLong(1, callId);
                return Rows.list(ps, rs -> new Turn(rs.getLong("call_id"), rs.getInt("seq"),
                        rs.getString("prompt_text"),
                        rs.getString("transcript"), Sql.getDoubleOrNull(rs, "confidence"),
                        rs.getString("intent"),
                        InputMode.valueOf(rs.getString("input_mode").toUpperCase(Locale.ROOT)),
                        Sql.getInstant(rs, "started_at"), Sql.getInteger(rs, "prompt_ms"),
                        Sql.getInteger(rs, "speech_start_ms"), Sql.getInteger(rs, "speech_end_ms"),
                        Sql.getInteger(rs, "latency_ms"), rs.getString("step_id"), rs.getString("note"),
                        rs.getString("cut_by"), rs.getString("cut_text")));
            }
        });
    }

    /** Saves the answer, replacing an earlier answer to the same question of the same call. */
    public void saveAnswer(Answer a) {
        WriteJournal j = journal;
        if (j == null) {
            storeAnswer(a);
        } else {
            j.write("answer", a);
        }
    }

    private void storeAnswer(Answer a) {
        db.transaction(c -> {
            try (PreparedStatement up = c.prepareStatement("UPDATE answers SET answer_value = ?, confidence = ?, "
                    + "confirmed = ?, created_at = ? WHERE call_id = ? AND question_key = ?")) {
                up.setString(1, a.value());
                Sql.setDouble(up, 2, a.confidence());
                up.setBoolean(3, a.confirmed());
                Sql.setInstant(up, 4, a.createdAt());
                up.setLong(5, a.callId());
                up.setString(6, a.questionKey());
                if (up.executeUpdate() == 1) {
                    return null;
                }
            }
            try (PreparedStatement ins = c.prepareStatement("INSERT INTO answers (call_id, question_key, "
                    + "answer_value, confidence, confirmed, created_at) VALUES (?, ?, ?, ?, ?, ?)")) {
                ins.setLong(1, a.callId());
                ins.setString(2, a.questionKey());
                ins.setString(3, a.value());
                Sql.setDouble(ins, 4, a.confidence());
                ins.setBoolean(5, a.confirmed());
                Sql.setInstant(ins, 6, a.createdAt());
                ins.executeUpdate();
            }
            return null;
        });
    }

    /** The call's answers in the order they were first given. */
    public List<Answer> answers(long callId) {
        return db.query(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT call_id, question_key, answer_value, "
                    + "confidence, confirmed, created_at FROM answers WHERE call_id = ? ORDER BY id")) {
                ps.setLong(1, callId);
                return Rows.list(ps, rs -> new Answer(rs.getLong("call_id"), rs.getString("question_key"),
                        rs.getString("answer_value"), Sql.getDoubleOrNull(rs, "confidence"),
                        rs.getBoolean("confirmed"), Sql.getInstant(rs, "created_at")));
            }
        });
    }

    private static int bindMutable(PreparedStatement ps, int i, CallRecord call) throws SQLException {
        Sql.setLong(ps, i++, call.attemptId());
        ps.setString(i++, call.dialogName());
        ps.setString(i++, call.callerNumber());
        ps.setString(i++, call.calledNumber());
        Sql.setInstant(ps, i++, call.startedAt());
        Sql.setInstant(ps, i++, call.answeredAt());
        Sql.setInstant(ps, i++, call.endedAt());
        ps.setString(i++, call.outcome());
        ps.setBoolean(i++, call.disclosurePlayed());
        ps.setString(i++, call.transferQueue());
        ps.setString(i++, call.variablesJson());
        return i;
    }

    private static CallRecord normalized(CallRecord c) {
        return new CallRecord(c.id(), c.callUuid(), c.direction(), c.attemptId(), c.dialogName(), c.callerNumber(),
                c.calledNumber(), Sql.millis(c.startedAt()), Sql.millis(c.answeredAt()), Sql.millis(c.endedAt()),
                c.outcome(), c.disclosurePlayed(), c.transferQueue(), c.variablesJson());
    }

    static CallRecord readCall(ResultSet rs) throws SQLException {
        return new CallRecord(rs.getLong("id"), rs.getString("call_uuid"),
                Direction.valueOf(rs.getString("direction").toUpperCase(Locale.ROOT)),
                Sql.getLongOrNull(rs, "attempt_id"), rs.getString("dialog_name"), rs.getString("caller_number"),
                rs.getString("called_number"), Sql.getInstant(rs, "started_at"), Sql.getInstant(rs, "answered_at"),
                Sql.getInstant(rs, "ended_at"), rs.getString("outcome"), rs.getBoolean("disclosure_played"),
                rs.getString("transfer_queue"), rs.getString("variables"));
    }

    /** Decisions on destructive requests, in the same database. */
    public DecisionStore decisions() {
        return new DecisionStore(db);
    }
}
