-- wrk script: POSTs GraphQL bodies to /graphql, one per line of the file named by the first
-- script argument, each connection cycling through them from its own starting point, so a
-- run asks hundreds of different questions instead of repeating one (oha repeats one body).
local bodies = {}
local next_body = 1
local counter = 0

function setup(thread)
    counter = counter + 1
    thread:set("offset", counter)
end

function init(args)
    for line in io.lines(args[1]) do
        if #line > 0 then bodies[#bodies + 1] = line end
    end
    -- threads start at different bodies: the same sequence in every run (no randomness)
    next_body = ((offset or 1) * 7919) % #bodies + 1
end

function request()
    local body = bodies[next_body]
    next_body = next_body % #bodies + 1
    return wrk.format("POST", "/graphql", { ["Content-Type"] = "application/json" }, body)
end

function done(summary, latency, requests)
    local errors = summary.errors.connect + summary.errors.read + summary.errors.write
        + summary.errors.status + summary.errors.timeout
    io.write(string.format(
        '{"requests": %d, "seconds": %.3f, "rps": %.1f, "p50_ms": %.3f, "p99_ms": %.3f, "errors": %d}\n',
        summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
        latency:percentile(50) / 1000, latency:percentile(99) / 1000, errors))
end
