package org.exportcontrol.reporting.service;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import org.exportcontrol.api.common.v1.Quantity;
import org.exportcontrol.api.common.v1.QuantityUnit;
import org.exportcontrol.api.enforcement.v1.SignalKind;
import org.exportcontrol.api.enforcement.v1.SubjectType;
import org.exportcontrol.api.reporting.v1.QuotaKind;
import org.exportcontrol.api.reporting.v1.QuotaLedger;
import org.exportcontrol.platform.identifiers.ChinaTime;
import org.exportcontrol.reporting.domain.ChainState;
import org.exportcontrol.reporting.domain.FacilityInfo;
import org.exportcontrol.reporting.domain.Movement;
import org.exportcontrol.reporting.domain.SignalDraft;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Quota ledgers from the stock ledger: mining quota is used by what an enterprise's mines extract,
 * smelting and separation quota by what its separation plants and smelters put into processing,
 * in the allocation's year (China Standard Time) and family of units (REO-equivalent or not).
 * Quota use is signalled to enforcement each time it crosses a whole percent.
 */
@ApplicationScoped
public class QuotaLedgers {

    /** From the ledger's monthly sums (stock_month) of the year's months, China Standard Time. */
    private static final String USED = """
            select coalesce(sum(case m.unit when 'QUANTITY_UNIT_TONNE' then m.delta * 1000
                                             when 'QUANTITY_UNIT_TONNE_REO' then m.delta * 1000
                                             else m.delta end), 0)
              from stock_month m join facility f on f.id = m.facility_id
             where f.enterprise_credit_code = $1 and m.period between $2 and $3
               and m.kind = $4 and f.kind = any($5::text[]) and m.unit = any($6::text[])""";

    /** The ledger, or null if nothing is allocated. */
    public Uni<QuotaLedger> ledger(SqlClient db, String enterprise, int year, QuotaKind kind) {
        String k = name(kind);
        return db.preparedQuery("select unit, allocated from quota_allocation where enterprise_credit_code = $1"
                + " and year = $2 and kind = $3").execute(Tuple.of(enterprise, year, k)).flatMap(rows -> {
                    if (rows.size() == 0) {
                        return Uni.createFrom().nullItem();
                    }
                    var row = rows.iterator().next();
                    return ledgerFor(db, enterprise, year, kind, row.getString("unit"), row.getBigDecimal("allocated"));
                });
    }

    /** The ledger of an allocation of {@code allocated} {@code unit}, with what is used so far. */
    public Uni<QuotaLedger> ledgerFor(SqlClient db, String enterprise, int year, QuotaKind kind, String unit,
            BigDecimal allocated) {
        boolean reo = unit.endsWith("_REO");
        String[] units = reo ? new String[] {"QUANTITY_UNIT_KILOGRAM_REO", "QUANTITY_UNIT_TONNE_REO"}
                : new String[] {"QUANTITY_UNIT_KILOGRAM", "QUANTITY_UNIT_TONNE"};
        boolean mining = kind == QuotaKind.QUOTA_KIND_MINING;
        return db.preparedQuery(USED).execute(Tuple.tuple().addString(enterprise).addString(year + "-01")
                .addString(year + "-12").addString(mining ? Movement.EXTRACTED : Movement.PROCESS_IN)
                .addArrayOfString(mining ? new String[] {"MINE"} : new String[] {"SEPARATION_PLANT", "SMELTER"})
                .addArrayOfString(units))
                .map(used -> {
                    BigDecimal kilograms = used.iterator().next().getBigDecimal(0).abs();
                    BigDecimal inUnit = unit.startsWith("QUANTITY_UNIT_TONNE")
                            ? kilograms.divide(BigDecimal.valueOf(1000), 6, RoundingMode.HALF_UP) : kilograms;
                    String percent = inUnit.multiply(BigDecimal.valueOf(100))
                            .divide(allocated, 2, RoundingMode.HALF_UP).toPlainString();
                    return QuotaLedger.newBuilder().setEnterpriseCreditCode(enterprise).setYear(year)
                            .setKind(kind).setAllocated(q(allocated, unit)).setUsed(q(inUnit, unit))
                            .setUsePercent(percent).build();
                });
    }

    /** After a batch: signal each ledger whose use crossed a whole percent, and remember it. */
    public Uni<List<SignalDraft>> crossings(SqlConnection conn, ChainState state) {
        Set<String> touched = new LinkedHashSet<>();
        for (Movement m : state.movements) {
            FacilityInfo f = state.facilities.get(m.facilityId());
            if (f == null) {
                continue;
            }
            int year = m.occurredAt().atZone(ChinaTime.ZONE).getYear();
            if (Movement.EXTRACTED.equals(m.kind()) && "MINE".equals(f.kind())) {
                touched.add(f.enterpriseCreditCode() + "|" + year + "|MINING|" + f.provinceCode());
            } else if (Movement.PROCESS_IN.equals(m.kind())
                    && ("SEPARATION_PLANT".equals(f.kind()) || "SMELTER".equals(f.kind()))) {
                touched.add(f.enterpriseCreditCode() + "|" + year + "|SMELTING_SEPARATION|" + f.provinceCode());
            }
        }
        List<SignalDraft> signals = new ArrayList<>();
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (String key : touched) {
            String[] k = key.split("\\|");
            int year = Integer.parseInt(k[1]);
            QuotaKind kind = QuotaKind.valueOf("QUOTA_KIND_" + k[2]);
            chain = chain.chain(() -> conn.preparedQuery("select last_signalled_percent from quota_allocation where"
                    + " enterprise_credit_code = $1 and year = $2 and kind = $3 for update").execute(Tuple.of(k[0], year, k[2]))
                    .flatMap(rows -> {
                        if (rows.size() == 0) {
                            return Uni.createFrom().voidItem();
                        }
                        int last = rows.iterator().next().getInteger(0);
                        return ledger(conn, k[0], year, kind).flatMap(ledger -> {
                            int whole = new BigDecimal(ledger.getUsePercent()).intValue();
                            if (whole <= last) {
                                return Uni.createFrom().voidItem();
                            }
                            signals.add(new SignalDraft(SignalKind.SIGNAL_KIND_QUOTA_USE, SubjectType.SUBJECT_TYPE_ENTERPRISE,
                                    k[0], k[3], Map.of("use_percent", new String[] {ledger.getUsePercent(), "%"},
                                            "used", new String[] {ledger.getUsed().getValue(), ledger.getUsed().getUnit().name()},
                                            "allocated", new String[] {ledger.getAllocated().getValue(),
                                                    ledger.getAllocated().getUnit().name()}),
                                    Map.of("quota_kind", k[2], "year", k[1]), null, java.time.Instant.now(),
                                    List.of(k[0] + "/" + k[1] + "/" + k[2])));
                            return conn.preparedQuery("update quota_allocation set last_signalled_percent = $4"
                                    + " where enterprise_credit_code = $1 and year = $2 and kind = $3")
                                    .execute(Tuple.of(k[0], year, k[2], whole)).replaceWithVoid();
                        });
                    }));
        }
        return chain.replaceWith(signals);
    }

    static String name(QuotaKind kind) {
        return kind.name().substring("QUOTA_KIND_".length());
    }

    private static Quantity q(BigDecimal value, String unit) {
        return Quantity.newBuilder().setValue(value.signum() == 0 ? "0" : value.stripTrailingZeros().toPlainString())
                .setUnit(QuantityUnit.valueOf(unit)).build();
    }
}
