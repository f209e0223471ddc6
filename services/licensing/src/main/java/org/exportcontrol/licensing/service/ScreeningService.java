package org.exportcontrol.licensing.service;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.exportcontrol.api.common.v1.Party;
import org.exportcontrol.api.enforcement.v1.SignalKind;
import org.exportcontrol.api.licensing.v1.AddWatchListEntryResponse;
import org.exportcontrol.api.licensing.v1.WatchListEntry;
import org.exportcontrol.licensing.domain.LicenceEntity;
import org.exportcontrol.licensing.domain.NameMatcher;
import org.exportcontrol.licensing.domain.ScreeningHitEntity;
import org.exportcontrol.licensing.domain.WatchListEntryEntity;
import org.exportcontrol.platform.audit.AuditLog;
import org.exportcontrol.platform.audit.AuditRecord;
import org.exportcontrol.platform.identifiers.ChinaTime;
import org.exportcontrol.platform.security.Caller;
import org.exportcontrol.platform.security.Jurisdiction;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/**
 * Screening of consignees and end users against the watch list (licensing's own policy; the
 * match-score threshold is national commerce's setting). Applications are screened at submission;
 * when the list grows, live licences are screened again and hits are flagged and signalled.
 */
@ApplicationScoped
public class ScreeningService {

    @ConfigProperty(name = "licensing.screening.threshold", defaultValue = "0.85")
    double threshold;

    @Inject
    AuditLog audit;
    @Inject
    Outgoing outgoing;

    /** Hits of the application's parties against the whole watch list. */
    public Uni<List<ScreeningHitEntity>> screen(String applicationId, Party consignee, Party endUser) {
        return Panache.getSession().flatMap(s -> s.createSelectionQuery("from WatchListEntryEntity",
                WatchListEntryEntity.class).getResultList())
                .map(entries -> {
                    List<ScreeningHitEntity> hits = new ArrayList<>();
                    for (WatchListEntryEntity entry : entries) {
                        hit(applicationId, "consignee", consignee.getName(), entry).ifPresent(hits::add);
                        hit(applicationId, "end_user", endUser.getName(), entry).ifPresent(hits::add);
                    }
                    return hits;
                });
    }

    /** Adds a restricted party, then screens every live licence against it. */
    public Uni<AddWatchListEntryResponse> addWatchListEntry(Caller caller, WatchListEntry entry, String requestId) {
        return Panache.getSession().flatMap(s -> s
                .createNativeQuery("select nextval('watch_list_number')", Long.class).getSingleResult()
                .flatMap(n -> {
                    WatchListEntryEntity e = new WatchListEntryEntity();
                    e.id = "WL-" + n;
                    e.name = entry.getName();
                    e.aliases = String.join("|", entry.getAliasesList());
                    e.countryCode = entry.getCountryCode();
                    e.reason = entry.getReason();
                    e.addedBy = caller.subject();
                    e.addedAt = Instant.now();
                    return s.persist(e)
                            .chain(() -> audit.append(AuditRecord.of(caller, Jurisdiction.NATIONAL, "watch-list.add",
                                    "watch-list/" + e.id, requestId)))
                            .chain(() -> s.createSelectionQuery(
                                    "from LicenceEntity where status = 'ISSUED' and validUntil >= :today", LicenceEntity.class)
                                    .setParameter("today", ChinaTime.today()).getResultList())
                            .flatMap(live -> flagMatches(caller, e, live, requestId))
                            .map(flagged -> AddWatchListEntryResponse.newBuilder()
                                    .setEntry(Mapper.watchListEntry(e)).addAllFlaggedLicenceNumbers(flagged).build());
                }));
    }

    private Uni<List<String>> flagMatches(Caller caller, WatchListEntryEntity entry, List<LicenceEntity> live,
            String requestId) {
        List<String> flagged = new ArrayList<>();
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (LicenceEntity licence : live) {
            double score = Math.max(score(licence.consigneeName, entry), score(licence.endUserName, entry));
            if (score < threshold) {
                continue;
            }
            flagged.add(licence.number);
            licence.flagged = true;
            chain = chain.chain(() -> audit.append(AuditRecord.of(caller, Jurisdiction.of(licence.jurisdiction),
                    "licence.flag-screening-hit", "licence/" + licence.number, requestId)))
                    .chain(() -> outgoing.signalLicence(SignalKind.SIGNAL_KIND_SCREENING_HIT, licence.number,
                            licence.jurisdiction, Map.of("watch_list_entry", entry.id, "watch_list_name", entry.name,
                                    "score", String.format("%.2f", score)),
                            List.of(licence.number, entry.id)));
        }
        return chain.replaceWith(flagged);
    }

    private java.util.Optional<ScreeningHitEntity> hit(String applicationId, String role, String partyName,
            WatchListEntryEntity entry) {
        double score = score(partyName, entry);
        if (score < threshold) {
            return java.util.Optional.empty();
        }
        ScreeningHitEntity hit = new ScreeningHitEntity();
        hit.applicationId = applicationId;
        hit.partyRole = role;
        hit.partyName = partyName;
        hit.watchListEntryId = entry.id;
        hit.watchListName = entry.name;
        hit.score = score;
        return java.util.Optional.of(hit);
    }

    /** The best score of a name against an entry's name and aliases. */
    static double score(String name, WatchListEntryEntity entry) {
        double best = NameMatcher.score(name, entry.name);
        for (String alias : entry.aliasList()) {
            best = Math.max(best, NameMatcher.score(name, alias));
        }
        return best;
    }
}
