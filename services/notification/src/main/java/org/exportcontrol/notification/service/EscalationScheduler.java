package org.exportcontrol.notification.service;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;

/**
 * Escalates notifications not acknowledged by their deadline, on a timer
 * ({@code notification.escalation.interval}), as the service itself. Replicas share the work
 * through {@code FOR UPDATE SKIP LOCKED}; each notification escalates once.
 */
@ApplicationScoped
public class EscalationScheduler {

    private static final Logger LOG = Logger.getLogger(EscalationScheduler.class);

    @Inject
    NotificationService notifications;

    @ConfigProperty(name = "notification.escalation.enabled", defaultValue = "true")
    boolean enabled;

    @Scheduled(every = "${notification.escalation.interval:30s}", delayed = "${notification.escalation.delay:5s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> run() {
        if (!enabled) {
            return Uni.createFrom().voidItem();
        }
        return Uni.createFrom().deferred(this::escalateAll).onFailure().invoke(t -> LOG.warnf("escalation run failed: %s", t.toString()))
                .onFailure().recoverWithNull().replaceWithVoid();
    }

    /** Escalates every due notification, batch after batch; returns how many. */
    public Uni<Integer> escalateAll() {
        return notifications.escalateDue().flatMap(n -> n == 0 ? Uni.createFrom().item(0)
                : escalateAll().map(m -> n + m));
    }
}
