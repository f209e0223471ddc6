package org.exportcontrol.platform.work;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

import org.jboss.logging.Logger;

import io.smallrye.mutiny.Uni;

/**
 * Runs a drain (claim a batch of due work, do it, return how many were claimed) whenever it is
 * asked to, never twice at the same time: asks that come while a pass runs coalesce into one
 * more pass, and a full batch is followed by another pass at once. Used by the outbox relay and by
 * every worker that drains a table of due work.
 */
public final class DrainLoop {

    private static final Logger LOG = Logger.getLogger(DrainLoop.class);

    private final String name;
    private final int batchSize;
    private final Supplier<Uni<Integer>> drainOnce;
    private final AtomicBoolean running = new AtomicBoolean();
    private final AtomicBoolean again = new AtomicBoolean();

    /**
     * @param name      for the log, e.g. "outbox"
     * @param batchSize the most one pass claims: a pass that claims that many is followed by another
     * @param drainOnce one pass; returns how many items it claimed
     */
    public DrainLoop(String name, int batchSize, Supplier<Uni<Integer>> drainOnce) {
        this.name = name;
        this.batchSize = batchSize;
        this.drainOnce = drainOnce;
    }

    /** Asks for a pass. */
    public void nudge() {
        again.set(true);
        if (running.compareAndSet(false, true)) {
            loop();
        }
    }

    private void loop() {
        again.set(false);
        drainOnce.get().subscribe().with(claimed -> {
            if (claimed >= batchSize || again.get()) {
                loop();
            } else {
                running.set(false);
                if (again.get() && running.compareAndSet(false, true)) {
                    loop();
                }
            }
        }, failure -> {
            LOG.warnf("%s drain failed, retrying on the next wake-up: %s", name, failure.toString());
            running.set(false);
        });
    }
}
