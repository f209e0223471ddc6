package org.exportcontrol.licensing.service;

import org.exportcontrol.api.common.v1.Party;
import org.exportcontrol.api.common.v1.QuantityUnit;
import org.exportcontrol.api.licensing.v1.ApplicationContent;
import org.exportcontrol.api.licensing.v1.ApplicationLine;
import org.exportcontrol.api.licensing.v1.DocumentRef;
import org.exportcontrol.api.licensing.v1.LicenceType;
import org.exportcontrol.api.licensing.v1.TransportMode;
import org.exportcontrol.platform.error.Validation;
import org.exportcontrol.platform.identifiers.CreditCode;
import org.exportcontrol.platform.identifiers.Countries;
import org.exportcontrol.platform.identifiers.Dates;

/**
 * The rules an application's content must meet: {@link #format} whenever it is stored (a draft may
 * be incomplete but nothing in it may be malformed), {@link #complete} before it is submitted.
 */
public final class ContentRules {

    public static final String END_USER_CERTIFICATE = "end-user-certificate";
    static final int MAX_LINES = 50;

    private ContentRules() {
    }

    public static void format(ApplicationContent c, Validation v) {
        v.require("content.licence_type", c.getLicenceType() != LicenceType.LICENCE_TYPE_UNSPECIFIED
                && c.getLicenceType() != LicenceType.UNRECOGNIZED, "must be LICENCE_TYPE_SINGLE or LICENCE_TYPE_GENERAL");
        String codeProblem = CreditCode.problem(c.getExporterCreditCode());
        v.require("content.exporter_credit_code", codeProblem == null, codeProblem);
        v.require("content.lines", c.getLinesCount() > 0 && c.getLinesCount() <= MAX_LINES,
                "must have 1 to " + MAX_LINES + " lines");
        for (int i = 0; i < c.getLinesCount(); i++) {
            ApplicationLine line = c.getLines(i);
            String p = "content.lines[" + i + "]";
            v.require(p + ".item.item_code", !line.getItem().getItemCode().isBlank(), "is required");
            v.require(p + ".item.tariff_code", line.getItem().getTariffCode().matches("\\d{10}"),
                    "must be a 10-digit tariff line");
            v.positiveDecimal(p + ".quantity.value", line.getQuantity().getValue());
            v.require(p + ".quantity.unit", line.getQuantity().getUnit() != QuantityUnit.QUANTITY_UNIT_UNSPECIFIED
                    && line.getQuantity().getUnit() != QuantityUnit.UNRECOGNIZED, "is required");
            v.positiveDecimal(p + ".value.amount", line.getValue().getAmount());
            v.require(p + ".value.currency_code", line.getValue().getCurrencyCode().matches("[A-Z]{3}"),
                    "must be an ISO 4217 code such as CNY or USD");
        }
        if (!c.getDestinationCountryCode().isEmpty()) {
            v.require("content.destination_country_code", Countries.isValid(c.getDestinationCountryCode())
                    && !"CN".equals(c.getDestinationCountryCode()), "must be an ISO 3166-1 alpha-2 code outside China");
        }
        party(v, "content.consignee", c.getConsignee());
        party(v, "content.end_user", c.getEndUser());
        if (Dates.isSet(c.getContractDate())) {
            v.require("content.contract_date", Dates.toLocalDate(c.getContractDate()) != null, "must be a valid date");
        }
        v.require("content.transport_mode", c.getTransportMode() != TransportMode.UNRECOGNIZED, "is not a transport mode");
        for (int i = 0; i < c.getDocumentsCount(); i++) {
            DocumentRef d = c.getDocuments(i);
            v.require("content.documents[" + i + "].kind", !d.getKind().isBlank(), "is required");
            v.require("content.documents[" + i + "].sha256", d.getSha256().matches("[0-9a-f]{64}"),
                    "must be the hex SHA-256 of the document");
        }
        v.require("content.end_use", c.getEndUse().length() <= 2000, "must be at most 2000 characters");
    }

    /** What a submitted application must have besides a correct format. */
    public static void complete(ApplicationContent c, Validation v) {
        v.require("content.destination_country_code", !c.getDestinationCountryCode().isEmpty(), "is required");
        v.require("content.consignee", c.hasConsignee() && !c.getConsignee().getName().isBlank()
                && !c.getConsignee().getCountryCode().isEmpty(), "is required (name and country)");
        v.require("content.end_user", c.hasEndUser() && !c.getEndUser().getName().isBlank()
                && !c.getEndUser().getCountryCode().isEmpty(), "is required (name and country)");
        v.require("content.end_use", !c.getEndUse().isBlank(), "is required");
        v.require("content.contract_number", !c.getContractNumber().isBlank(), "is required");
        v.require("content.contract_date", Dates.isSet(c.getContractDate()), "is required");
        v.require("content.customs_port", !c.getCustomsPort().isBlank(), "is required");
        v.require("content.transport_mode", c.getTransportMode() != TransportMode.TRANSPORT_MODE_UNSPECIFIED, "is required");
        v.require("content.documents", c.getDocumentsList().stream().anyMatch(d -> END_USER_CERTIFICATE.equals(d.getKind())),
                "must include the end-user certificate (kind \"" + END_USER_CERTIFICATE + "\")");
    }

    private static void party(Validation v, String field, Party party) {
        if (!party.getCountryCode().isEmpty()) {
            v.require(field + ".country_code", Countries.isValid(party.getCountryCode()), "must be an ISO 3166-1 alpha-2 code");
        }
        v.require(field + ".name", party.getName().length() <= 300, "must be at most 300 characters");
    }
}
