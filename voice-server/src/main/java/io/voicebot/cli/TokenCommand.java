package io.voicebot.cli;

import io.voicebot.store.ApiTokenStore;
import io.voicebot.store.AuditStore;
import io.voicebot.store.Database;
import io.voicebot.store.Role;

import io.voicebot.config.Durations;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** {@code token create|list|revoke}: manage API tokens directly in the database (works with the server down). */
public final class TokenCommand implements Command {

    @Override
    public String summary() {
        return "token             create --role admin|operator|agent [--name N] [--expires 90d] | list | revoke ID";
    }

    @Override
    public Help help() {
        return Help.of("voicebot token create --role admin|operator|agent [--name NAME] [--expires WHEN]",
                        "Manages API tokens in the database (the server may be running or not). create prints the new\n"
                        + "token once on stdout (only its SHA-256 hash is stored); list shows id, role, name, when it\n"
                        + "was created, when it expires, when it was last used (to the minute) and when it was\n"
                        + "revoked; revoke ID stops a token from working at once.")
                .usage("voicebot token list")
                .usage("voicebot token revoke ID")
                .option("role", "ROLE", "create: admin, operator or agent (required)")
                .option("name", "NAME", "create: a name to recognise the token by, 1 to 100 characters "
                        + "(default ROLE-token)")
                .option("expires", "WHEN", "create: the token is refused from then on: a duration from now (90d, "
                        + "12h, PT30M) or a time (2027-01-31T00:00:00Z); default never");
    }

    @Override
    public int run(CliContext ctx, List<String> args) {
        if (args.isEmpty()) {
            throw new UsageException("token needs an action: create, list or revoke");
        }
        String action = args.get(0);
        List<String> rest = new ArrayList<>(args.subList(1, args.size()));
        return switch (action) {
            case "create" -> create(ctx, rest);
            case "list" -> list(ctx, rest);
            case "revoke" -> revoke(ctx, rest);
            default -> throw new UsageException("unknown token action '" + action + "' (create, list, revoke)");
        };
    }

    private int create(CliContext ctx, List<String> args) {
        Options o = Options.parse(args, Set.of("role", "name", "expires"), Set.of());
        if (!o.positionals().isEmpty()) {
            throw new UsageException("token create takes no positional arguments, got '" + o.positionals().get(0)
                    + "'");
        }
        if (!o.has("role")) {
            throw new UsageException("token create needs --role admin|operator|agent");
        }
        Role role;
        try {
            role = Role.parse(o.get("role", null));
        } catch (IllegalArgumentException e) {
            throw new UsageException("--role: " + e.getMessage());
        }
        String name = o.get("name", role.id() + "-token");
        if (name.isBlank() || name.length() > 100) {
            throw new UsageException("--name must be 1 to 100 characters");
        }
        Instant expires = o.has("expires") ? expiry(o.get("expires", null), Instant.now()) : null;
        try (Database db = open(ctx)) {
            ApiTokenStore.Created c = new ApiTokenStore(db, Clock.systemUTC()).create(name, role, expires);
            new AuditStore(db, Clock.systemUTC()).record(null, AuditStore.CLI, "cli token create",
                    "id=" + c.token().id(), "{\"role\": \"" + role.id() + "\"}");
            ctx.err().println("created token " + c.token().id() + " '" + name + "' with role " + role.id()
                    + (expires == null ? "" : ", expiring at " + c.token().expiresAt()) + "; it is shown only now:");
            ctx.out().println(c.secret());
        }
        return 0;
    }

    private int list(CliContext ctx, List<String> args) {
        if (!args.isEmpty()) {
            throw new UsageException("token list takes no arguments");
        }
        try (Database db = open(ctx)) {
            ctx.out().printf("%-6s %-10s %-25s %-25s %-25s %-30s %s%n", "ID", "ROLE", "CREATED", "EXPIRES",
                    "LAST USED", "NAME", "REVOKED");
            for (ApiTokenStore.ApiToken t : new ApiTokenStore(db, Clock.systemUTC()).list()) {
                ctx.out().printf("%-6d %-10s %-25s %-25s %-25s %-30s %s%n", t.id(), t.role().id(), t.createdAt(),
                        orDash(t.expiresAt()), orDash(t.lastUsedAt()), t.name(), orDash(t.revokedAt()));
            }
        }
        return 0;
    }

    private int revoke(CliContext ctx, List<String> args) {
        if (args.size() != 1) {
            throw new UsageException("token revoke needs exactly one token id");
        }
        long id;
        try {
            id = Long.parseLong(args.get(0));
        } catch (NumberFormatException e) {
            throw new UsageException("token id must be a number, got '" + args.get(0) + "'");
        }
        try (Database db = open(ctx)) {
            ApiTokenStore store = new ApiTokenStore(db, Clock.systemUTC());
            if (!store.revoke(id)) {
                ctx.err().println("voicebot token: no active token with id " + id + " (voicebot token list shows them)");
                return 1;
            }
            new AuditStore(db, Clock.systemUTC()).record(null, AuditStore.CLI, "cli token revoke", "id=" + id, null);
            String name = store.list().stream().filter(t -> t.id() == id).map(ApiTokenStore.ApiToken::name)
                    .findFirst().orElse("");
            ctx.out().println("revoked token " + id + " ('" + name + "'); requests with it now get 401");
        }
        return 0;
    }

    private static String orDash(Instant t) {
        return t == null ? "-" : t.toString();
    }

    /** --expires: a duration from now (90d, PT12H) or an ISO-8601 time, in the future and within ten years. */
    static Instant expiry(String text, Instant now) {
        Duration max = Duration.ofDays(3660);
        Instant t;
        Duration d = Durations.parse(text);
        if (d != null) {
            t = now.plus(d);
        } else {
            try {
                t = Instant.parse(text.strip());
            } catch (DateTimeParseException e) {
                throw new UsageException("--expires must be a duration (90d, 12h, PT30M) or a time like "
                        + "2027-01-31T00:00:00Z, got '" + text + "'");
            }
        }
        if (!t.isAfter(now)) {
            throw new UsageException("--expires " + text + " is not in the future");
        }
        if (t.isAfter(now.plus(max))) {
            throw new UsageException("--expires " + text + " is more than " + max.toDays() + " days ahead");
        }
        return t;
    }

    private static Database open(CliContext ctx) {
        Database db = Database.connect(ctx.config().db());
        try {
            db.migrate();
            return db;
        } catch (RuntimeException e) {
            db.close();
            throw e;
        }
    }
}
