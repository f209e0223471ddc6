package org.exportcontrol.reporting.grpc;

import java.time.YearMonth;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.regex.Pattern;

import jakarta.inject.Inject;

import org.exportcontrol.api.common.v1.QuantityUnit;
import org.exportcontrol.api.reporting.v1.ExportStatisticsService;
import org.exportcontrol.api.reporting.v1.ExportSummaryRow;
import org.exportcontrol.api.reporting.v1.GetExportSummaryRequest;
import org.exportcontrol.api.reporting.v1.GetExportSummaryResponse;
import org.exportcontrol.platform.error.ApiErrors;
import org.exportcontrol.platform.error.Validation;
import org.exportcontrol.platform.grpc.Paging;
import org.exportcontrol.platform.security.AccessControl;
import org.exportcontrol.platform.security.Caller;
import org.exportcontrol.platform.security.Jurisdiction;
import org.exportcontrol.reporting.ReportingAction;
import org.exportcontrol.reporting.service.ExportStatistics;

import io.quarkus.grpc.GrpcService;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;

/** Declared and exported quantities per month, item and province, for dashboards. */
@GrpcService
@Authenticated
public class ExportStatisticsGrpcService implements ExportStatisticsService {

    /** The longest range one request may ask for, in months. */
    static final int MAX_MONTHS = 24;
    private static final String LIST = "export-summary";
    private static final Pattern MONTH = Pattern.compile("\\d{4}-\\d{2}");
    private static final char SEPARATOR = '\u001f';

    @Inject
    AccessControl access;
    @Inject
    ExportStatistics statistics;

    @Override
    public Uni<GetExportSummaryResponse> getExportSummary(GetExportSummaryRequest request) {
        access.require(ReportingAction.EXPORT_STATISTICS_READ); // role before input: no field errors for a caller without it
        Validation v = new Validation();
        YearMonth from = month(v, "from_period", request.getFromPeriod());
        YearMonth to = month(v, "to_period", request.getToPeriod());
        if (from != null && to != null) {
            v.require("to_period", !to.isBefore(from), "must not be before from_period");
            v.require("to_period", !to.isAfter(from.plusMonths(MAX_MONTHS - 1)),
                    "the range may span at most " + MAX_MONTHS + " months");
        }
        String province = request.getProvinceCode();
        v.require("province_code", province.isEmpty() || (Jurisdiction.isValid(province) && !Jurisdiction.NATIONAL_CODE.equals(province)),
                "must be empty or a GB/T 2260 province-level code such as 430000");
        v.require("page_size", request.getPageSize() >= 0, "must not be negative");
        v.throwIfInvalid();
        int size = Paging.pageSize(request.getPageSize());
        ExportStatistics.Position after = position(request.getPageToken());

        Caller caller;
        if (!province.isEmpty()) {
            caller = access.require(ReportingAction.EXPORT_STATISTICS_READ, Jurisdiction.of(province));
        } else {
            caller = access.require(ReportingAction.EXPORT_STATISTICS_READ);
            if (!caller.jurisdiction().isNational()) {
                province = caller.jurisdiction().code();
            }
        }
        return statistics.summary(from, to, province.isEmpty() ? null : province, after, size + 1).map(rows -> {
            GetExportSummaryResponse.Builder b = GetExportSummaryResponse.newBuilder();
            List<ExportSummaryRow> page = rows.subList(0, Math.min(size, rows.size()));
            b.addAllRows(page);
            if (rows.size() > size) {
                ExportSummaryRow last = page.get(page.size() - 1);
                b.setNextPageToken(Paging.token(LIST, String.join(String.valueOf(SEPARATOR), last.getPeriod(),
                        last.getProvinceCode(), last.getDeclaredQuantity().getUnit().name(), last.getItemCode())));
            }
            return b.build();
        });
    }

    private static YearMonth month(Validation v, String field, String text) {
        if (MONTH.matcher(text).matches()) {
            try {
                return YearMonth.parse(text);
            } catch (DateTimeParseException e) {
                // reported below
            }
        }
        v.add(field, "must be a month \"YYYY-MM\" (China Standard Time)");
        return null;
    }

    /** The key of the last row of the previous page; INVALID_ARGUMENT for a token of another list or a damaged one. */
    private static ExportStatistics.Position position(String token) {
        String position = Paging.position(LIST, token);
        if (position == null) {
            return null;
        }
        String[] parts = position.split(String.valueOf(SEPARATOR), 4);
        if (parts.length != 4 || !MONTH.matcher(parts[0]).matches() || !Jurisdiction.isValid(parts[1])
                || !isUnit(parts[2]) || parts[3].isEmpty()) {
            throw ApiErrors.invalidArgument("page_token", "is not a page token of this list");
        }
        return new ExportStatistics.Position(parts[0], parts[3], parts[1], parts[2]);
    }

    private static boolean isUnit(String name) {
        try {
            QuantityUnit unit = QuantityUnit.valueOf(name);
            return unit != QuantityUnit.UNRECOGNIZED && unit != QuantityUnit.QUANTITY_UNIT_UNSPECIFIED;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
