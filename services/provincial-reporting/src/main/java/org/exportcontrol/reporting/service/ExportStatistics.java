package org.exportcontrol.reporting.service;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.exportcontrol.api.common.v1.Quantity;
import org.exportcontrol.api.common.v1.QuantityUnit;
import org.exportcontrol.api.reporting.v1.ExportSummaryRow;
import org.exportcontrol.platform.identifiers.ChinaTime;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Export figures per month (China Standard Time), item and province from {@code export_fact}, the
 * rows ingest writes for every applied export declaration and export. Tonnes are counted as
 * kilograms; mass, REO-equivalent mass and pieces stay apart (one row per unit).
 */
@ApplicationScoped
public class ExportStatistics {

    /** Where a page ends: the last row's key. */
    public record Position(String period, String itemCode, String provinceCode, String unit) {
    }

    /** A quantity in the unit the summary counts it in. */
    public record Amount(String unit, BigDecimal value) {
    }

    private static final String SQL = """
            select period, item_code, province_code, unit,
                   coalesce(sum(quantity) filter (where kind = 'DECLARED'), 0) as declared,
                   count(*) filter (where kind = 'DECLARED') as declared_count,
                   coalesce(sum(quantity) filter (where kind = 'EXPORTED'), 0) as exported,
                   count(*) filter (where kind = 'EXPORTED') as exported_count
              from export_fact
             where period between $1 and $2
               and ($3::text is null or province_code = $3)
               and ($4::text is null or (period, item_code, province_code, unit) > ($4, $5, $6, $7))
             group by period, item_code, province_code, unit
             order by period, item_code, province_code, unit
             limit $8""";

    @Inject
    Pool pool;

    /** Rows of the range, for one province or (null) all, after {@code after} (null: from the first). */
    public Uni<List<ExportSummaryRow>> summary(YearMonth from, YearMonth to, String province, Position after, int limit) {
        Tuple args = Tuple.tuple().addString(from.toString()).addString(to.toString()).addString(province)
                .addString(after == null ? null : after.period()).addString(after == null ? null : after.itemCode())
                .addString(after == null ? null : after.provinceCode()).addString(after == null ? null : after.unit())
                .addInteger(limit);
        return pool.preparedQuery(SQL).execute(args).map(rows -> {
            List<ExportSummaryRow> out = new ArrayList<>();
            for (Row r : rows) {
                QuantityUnit unit = QuantityUnit.valueOf(r.getString("unit"));
                out.add(ExportSummaryRow.newBuilder().setPeriod(r.getString("period")).setItemCode(r.getString("item_code"))
                        .setProvinceCode(r.getString("province_code"))
                        .setDeclaredQuantity(quantity(r.getBigDecimal("declared"), unit))
                        .setDeclaredCount(r.getLong("declared_count"))
                        .setExportedQuantity(quantity(r.getBigDecimal("exported"), unit))
                        .setExportedCount(r.getLong("exported_count")).build());
            }
            return out;
        });
    }

    /** The month of an instant in China Standard Time, "YYYY-MM". */
    public static String period(Instant at) {
        return YearMonth.from(at.atZone(ChinaTime.ZONE)).toString();
    }

    /** Tonnes as kilograms (mass and REO-equivalent mass); other units as they are. */
    public static Amount amount(Quantity q) {
        BigDecimal value = new BigDecimal(q.getValue());
        return switch (q.getUnit()) {
            case QUANTITY_UNIT_TONNE -> new Amount(QuantityUnit.QUANTITY_UNIT_KILOGRAM.name(), value.scaleByPowerOfTen(3));
            case QUANTITY_UNIT_TONNE_REO -> new Amount(QuantityUnit.QUANTITY_UNIT_KILOGRAM_REO.name(), value.scaleByPowerOfTen(3));
            default -> new Amount(q.getUnit().name(), value);
        };
    }

    private static Quantity quantity(BigDecimal value, QuantityUnit unit) {
        return Quantity.newBuilder().setValue(value.signum() == 0 ? "0" : value.stripTrailingZeros().toPlainString())
                .setUnit(unit).build();
    }
}
