package dev.consensus.faults.harness;

import dev.consensus.faults.check.Checkers;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * What one run did and what the checkers said.
 *
 * @param report      the checkers' report; empty when the run was skipped
 * @param skipped     why the run could not run here (say, no mount for the full disk); empty when it ran
 * @param faultsLog   the nemesis's steps, one line each, with seconds from the start
 * @param replay      the command that runs this schedule again
 * @param problems    what the harness itself found wrong, outside the history: a member that
 *                    did not come back after the faults were lifted, never answered a final read,
 *                    stayed a learner, or stopped on a full disk without saying why
 */
public record RunResult(RunOptions options, Optional<Checkers.Report> report, Optional<String> skipped,
                        List<String> faultsLog, int faultsApplied, double seconds, Path dir, String replay,
                        List<String> problems) {

    public RunResult {
        problems = List.copyOf(problems);
    }

    public boolean passed() {
        return skipped.isPresent()
                || (problems.isEmpty() && report.orElseThrow().status() == dev.consensus.faults.check.Status.OK);
    }

    public String summary() {
        if (skipped.isPresent()) {
            return options.scenario().id() + " seed " + options.seed() + ": SKIPPED: " + skipped.get();
        }
        Checkers.Report r = report.orElseThrow();
        return String.format("%s seed %d: %s, %d operations, %d faults applied (%d history entries), %.0f s, in %s%s",
                options.scenario().id(), options.seed(), problems.isEmpty() ? r.status() : "PROBLEM", r.operations(),
                faultsApplied, r.faults(), seconds, dir, problems.isEmpty() ? "" : "\n  " + String.join("\n  ", problems));
    }
}
