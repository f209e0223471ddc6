package org.exportcontrol.licensing.service;

import java.math.BigDecimal;
import java.util.List;

import org.exportcontrol.api.common.v1.ItemRef;
import org.exportcontrol.api.common.v1.Jurisdiction;
import org.exportcontrol.api.common.v1.Party;
import org.exportcontrol.api.common.v1.Quantity;
import org.exportcontrol.api.common.v1.QuantityUnit;
import org.exportcontrol.api.licensing.v1.ControlItem;
import org.exportcontrol.api.licensing.v1.Enterprise;
import org.exportcontrol.api.licensing.v1.EnterpriseKind;
import org.exportcontrol.api.licensing.v1.EnterpriseStatus;
import org.exportcontrol.api.licensing.v1.Licence;
import org.exportcontrol.api.licensing.v1.LicenceLine;
import org.exportcontrol.api.licensing.v1.LicenceStatus;
import org.exportcontrol.api.licensing.v1.WatchListEntry;
import org.exportcontrol.licensing.domain.ControlItemEntity;
import org.exportcontrol.licensing.domain.EnterpriseEntity;
import org.exportcontrol.licensing.domain.LicenceEntity;
import org.exportcontrol.licensing.domain.LicenceLineEntity;
import org.exportcontrol.licensing.domain.WatchListEntryEntity;
import org.exportcontrol.platform.identifiers.ChinaTime;
import org.exportcontrol.platform.identifiers.Dates;

import com.google.protobuf.InvalidProtocolBufferException;

/** Entities to messages: entities never leave the service. */
public final class Mapper {

    private Mapper() {
    }

    public static ControlItem item(ControlItemEntity e) {
        ControlItem.Builder b = ControlItem.newBuilder().setCode(e.code).setName(e.name)
                .addAllElements(e.elementList()).addAllTariffCodes(e.tariffCodeList())
                .setAnnouncement(e.announcement).setEffectiveFrom(Dates.of(e.effectiveFrom))
                .setControlledToday(e.controlledOn(ChinaTime.today()));
        if (e.effectiveUntil != null) {
            b.setEffectiveUntil(Dates.of(e.effectiveUntil));
        }
        return b.build();
    }

    public static Enterprise enterprise(EnterpriseEntity e) {
        return Enterprise.newBuilder().setCreditCode(e.creditCode).setName(e.name).setProvinceCode(e.provinceCode)
                .addAllKinds(e.kindList().stream().map(EnterpriseKind::valueOf).toList())
                .setStatus(EnterpriseStatus.valueOf(e.status)).build();
    }

    public static WatchListEntry watchListEntry(WatchListEntryEntity e) {
        return WatchListEntry.newBuilder().setId(e.id).setName(e.name).addAllAliases(e.aliasList())
                .setCountryCode(e.countryCode).setReason(e.reason).build();
    }

    public static Licence licence(LicenceEntity e, List<LicenceLineEntity> lines) {
        Licence.Builder b = Licence.newBuilder().setNumber(e.number).setApplicationId(e.applicationId)
                .setExporterCreditCode(e.exporterCreditCode)
                .setJurisdiction(Jurisdiction.newBuilder().setCode(e.jurisdiction))
                .setConsignee(party(e.consignee)).setEndUser(party(e.endUser))
                .setDestinationCountryCode(e.destination)
                .setValidFrom(Dates.of(e.validFrom)).setValidUntil(Dates.of(e.validUntil))
                .setStatus(status(e, lines)).setFlagged(e.flagged);
        if (e.statusReason != null) {
            b.setStatusReason(e.statusReason);
        }
        for (LicenceLineEntity line : lines) {
            b.addLines(LicenceLine.newBuilder().setLineNumber(line.lineNumber)
                    .setItem(ItemRef.newBuilder().setItemCode(line.itemCode).setTariffCode(line.tariffCode))
                    .setGranted(quantity(line.granted, line.unit)).setRemaining(quantity(line.remaining, line.unit)));
        }
        return b.build();
    }

    /** Suspended and revoked are recorded; expired and exhausted follow from dates and balances. */
    public static LicenceStatus status(LicenceEntity e, List<LicenceLineEntity> lines) {
        if (LicenceEntity.Status.REVOKED.name().equals(e.status)) {
            return LicenceStatus.LICENCE_STATUS_REVOKED;
        }
        if (LicenceEntity.Status.SUSPENDED.name().equals(e.status)) {
            return LicenceStatus.LICENCE_STATUS_SUSPENDED;
        }
        if (ChinaTime.today().isAfter(e.validUntil)) {
            return LicenceStatus.LICENCE_STATUS_EXPIRED;
        }
        if (!lines.isEmpty() && lines.stream().allMatch(l -> l.remaining.signum() == 0)) {
            return LicenceStatus.LICENCE_STATUS_EXHAUSTED;
        }
        return LicenceStatus.LICENCE_STATUS_ISSUED;
    }

    public static Quantity quantity(BigDecimal value, String unit) {
        return Quantity.newBuilder().setValue(value.stripTrailingZeros().toPlainString())
                .setUnit(QuantityUnit.valueOf(unit)).build();
    }

    public static Party party(byte[] bytes) {
        try {
            return Party.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("stored party is unreadable", e);
        }
    }
}
