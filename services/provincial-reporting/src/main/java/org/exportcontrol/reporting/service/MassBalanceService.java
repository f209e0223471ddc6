package org.exportcontrol.reporting.service;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.YearMonth;

import jakarta.enterprise.context.ApplicationScoped;

import org.exportcontrol.api.common.v1.Quantity;
import org.exportcontrol.api.common.v1.QuantityUnit;
import org.exportcontrol.api.reporting.v1.MassBalance;
import org.exportcontrol.platform.error.ApiErrors;
import org.exportcontrol.platform.identifiers.ChinaTime;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * A facility's mass balance for a month (China Standard Time), from its stock ledger's monthly sums:
 * opening + inputs - outputs - closing = loss, loss % = loss / (opening + inputs) x 100.
 * Inputs: extracted, received. Outputs: shipped, consumed, exported. Processing and inventory
 * counts change the stock without being inputs or outputs, so what they lose shows as loss.
 */
@ApplicationScoped
public class MassBalanceService {

    /** From the ledger's monthly sums (stock_month), so the cost does not grow with the facility's history. */
    private static final String SQL = """
            select unit,
                   coalesce(sum(delta) filter (where period < $2), 0) as opening,
                   coalesce(sum(delta) filter (where period = $2 and kind in ('EXTRACTED', 'RECEIVED')), 0) as inputs,
                   coalesce(-sum(delta) filter (where period = $2 and kind in ('SHIPPED', 'CONSUMED', 'EXPORTED')), 0) as outputs,
                   coalesce(sum(delta) filter (where period <= $2), 0) as closing
              from stock_month where facility_id = $1 group by unit""";

    public Uni<MassBalance> compute(SqlClient client, String facilityId, YearMonth period) {
        return client.preparedQuery(SQL).execute(Tuple.of(facilityId, period.toString())).map(rows -> {
            if (rows.size() > 1) {
                throw ApiErrors.failedPrecondition("MIXED_UNITS", "facility " + facilityId
                        + " reports in more than one unit; its balance cannot be added up");
            }
            if (rows.size() == 0) {
                return null;
            }
            return balance(facilityId, period, rows.iterator().next());
        });
    }

    /** This month's balance, or null if the facility has no movements. */
    public Uni<MassBalance> currentMonth(SqlClient client, String facilityId) {
        return compute(client, facilityId, YearMonth.from(ChinaTime.today()));
    }

    static MassBalance balance(String facilityId, YearMonth period, Row r) {
        String unit = r.getString("unit");
        BigDecimal opening = r.getBigDecimal("opening");
        BigDecimal inputs = r.getBigDecimal("inputs");
        BigDecimal outputs = r.getBigDecimal("outputs");
        BigDecimal closing = r.getBigDecimal("closing");
        BigDecimal loss = opening.add(inputs).subtract(outputs).subtract(closing);
        BigDecimal base = opening.add(inputs);
        String percent = base.signum() == 0 ? "0"
                : loss.multiply(BigDecimal.valueOf(100)).divide(base, 2, RoundingMode.HALF_UP).toPlainString();
        return MassBalance.newBuilder().setFacilityId(facilityId).setPeriod(period.toString())
                .setOpeningStock(q(opening, unit)).setInputs(q(inputs, unit)).setOutputs(q(outputs, unit))
                .setClosingStock(q(closing, unit)).setStockChange(q(closing.subtract(opening), unit))
                .setLoss(q(loss, unit)).setLossPercent(percent).build();
    }

    private static Quantity q(BigDecimal value, String unit) {
        return Quantity.newBuilder().setValue(value.signum() == 0 ? "0" : value.stripTrailingZeros().toPlainString())
                .setUnit(QuantityUnit.valueOf(unit)).build();
    }
}
