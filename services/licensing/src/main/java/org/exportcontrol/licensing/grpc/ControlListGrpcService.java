package org.exportcontrol.licensing.grpc;

import java.time.LocalDate;

import jakarta.inject.Inject;

import org.exportcontrol.api.licensing.v1.*;
import org.exportcontrol.licensing.LicensingAction;
import org.exportcontrol.licensing.domain.ControlItemEntity;
import org.exportcontrol.licensing.domain.EmbargoedDestinationEntity;
import org.exportcontrol.licensing.domain.HolidayEntity;
import org.exportcontrol.licensing.domain.WatchListEntryEntity;
import org.exportcontrol.licensing.service.Mapper;
import org.exportcontrol.licensing.service.Scopes;
import org.exportcontrol.licensing.service.ScreeningService;
import org.exportcontrol.platform.audit.AuditLog;
import org.exportcontrol.platform.audit.AuditRecord;
import org.exportcontrol.platform.audit.Digests;
import org.exportcontrol.platform.error.ApiErrors;
import org.exportcontrol.platform.error.Validation;
import org.exportcontrol.platform.grpc.Paging;
import org.exportcontrol.platform.identifiers.Countries;
import org.exportcontrol.platform.identifiers.Dates;
import org.exportcontrol.platform.idempotency.Idempotency;
import org.exportcontrol.platform.security.AccessControl;
import org.exportcontrol.platform.security.Caller;
import org.exportcontrol.platform.security.Jurisdiction;

import io.quarkus.grpc.GrpcService;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;

/** The lists national commerce keeps. Reads are open to every role of the chain; edits are national. */
@GrpcService
@Authenticated
public class ControlListGrpcService implements ControlListService {

    private static final String ITEMS = "control-items";
    private static final String WATCH = "watch-list";

    @Inject
    AccessControl access;
    @Inject
    Idempotency idempotency;
    @Inject
    AuditLog audit;
    @Inject
    ScreeningService screening;

    @Override
    @WithSession
    public Uni<ListControlItemsResponse> listControlItems(ListControlItemsRequest request) {
        access.require(LicensingAction.CONTROL_LIST_READ);
        int size = Paging.pageSize(request.getPageSize());
        String after = Paging.position(ITEMS, request.getPageToken());
        return Panache.getSession().flatMap(s -> s.createSelectionQuery(
                "from ControlItemEntity where code > :after order by code", ControlItemEntity.class)
                .setParameter("after", after == null ? "" : after).setMaxResults(size + 1).getResultList())
                .map(items -> {
                    ListControlItemsResponse.Builder b = ListControlItemsResponse.newBuilder();
                    items.stream().limit(size).map(Mapper::item).forEach(b::addItems);
                    if (items.size() > size) {
                        b.setNextPageToken(Paging.token(ITEMS, items.get(size - 1).code));
                    }
                    return b.build();
                });
    }

    @Override
    @WithSession
    public Uni<GetControlItemResponse> getControlItem(GetControlItemRequest request) {
        access.require(LicensingAction.CONTROL_LIST_READ);
        return findItem(request.getCode()).map(e -> GetControlItemResponse.newBuilder().setItem(Mapper.item(e)).build());
    }

    @Override
    public Uni<CreateControlItemResponse> createControlItem(CreateControlItemRequest request) {
        Scopes.national(access.caller(), LicensingAction.CONTROL_LIST_EDIT); // role and level before input
        Validation v = new Validation().requestId("request_id", request.getRequestId());
        ControlItem item = request.getItem();
        v.require("item.code", item.getCode().matches("[0-9A-Z][0-9A-Za-z.-]{1,19}"), "must be an item number such as 1C902");
        v.require("item.name", !item.getName().isBlank(), "is required");
        v.require("item.announcement", !item.getAnnouncement().isBlank(), "is required");
        for (int i = 0; i < item.getTariffCodesCount(); i++) {
            v.require("item.tariff_codes[" + i + "]", item.getTariffCodes(i).matches("\\d{10}"), "must be a 10-digit tariff line");
        }
        for (int i = 0; i < item.getElementsCount(); i++) {
            v.require("item.elements[" + i + "]", item.getElements(i).matches("[A-Z][a-z]?"), "must be a chemical symbol");
        }
        LocalDate from = Dates.toLocalDate(item.getEffectiveFrom());
        v.require("item.effective_from", from != null, "must be a valid date");
        LocalDate until = Dates.isSet(item.getEffectiveUntil()) ? Dates.toLocalDate(item.getEffectiveUntil()) : null;
        v.require("item.effective_until", !Dates.isSet(item.getEffectiveUntil()) || (until != null && from != null
                && !until.isBefore(from)), "must be a valid date on or after effective_from");
        v.throwIfInvalid();
        Caller caller = access.caller();
        Scopes.national(caller, LicensingAction.CONTROL_LIST_EDIT);
        return idempotency.once(caller.subject(), "control-item.create", request.getRequestId(), request,
                CreateControlItemResponse.parser(), () -> Panache.getSession().flatMap(s -> s
                        .find(ControlItemEntity.class, item.getCode())
                        .flatMap(existing -> {
                            if (existing != null) {
                                return Uni.createFrom().failure(ApiErrors.alreadyExists("ITEM_EXISTS",
                                        "control item " + item.getCode() + " exists"));
                            }
                            ControlItemEntity e = new ControlItemEntity();
                            e.code = item.getCode();
                            e.name = item.getName();
                            e.elements = String.join(",", item.getElementsList());
                            e.tariffCodes = String.join(",", item.getTariffCodesList());
                            e.announcement = item.getAnnouncement();
                            e.effectiveFrom = from;
                            e.effectiveUntil = until;
                            ControlItem created = Mapper.item(e);
                            return s.persist(e)
                                    .chain(() -> audit.append(AuditRecord.of(caller, Jurisdiction.NATIONAL,
                                            "control-item.create", "control-item/" + e.code, request.getRequestId())
                                            .withDigests(null, Digests.sha256Hex(created))))
                                    .replaceWith(CreateControlItemResponse.newBuilder().setItem(created).build());
                        })))
                .map(Idempotency.Result::response);
    }

    @Override
    public Uni<RetireControlItemResponse> retireControlItem(RetireControlItemRequest request) {
        Scopes.national(access.caller(), LicensingAction.CONTROL_LIST_EDIT); // role and level before input
        Validation v = new Validation().requestId("request_id", request.getRequestId());
        v.require("code", !request.getCode().isBlank(), "is required");
        LocalDate until = Dates.toLocalDate(request.getEffectiveUntil());
        v.require("effective_until", until != null, "must be a valid date");
        v.throwIfInvalid();
        Caller caller = access.caller();
        Scopes.national(caller, LicensingAction.CONTROL_LIST_EDIT);
        return idempotency.once(caller.subject(), "control-item.retire", request.getRequestId(), request,
                RetireControlItemResponse.parser(), () -> findItem(request.getCode()).flatMap(e -> {
                    if (until.isBefore(e.effectiveFrom)) {
                        return Uni.createFrom().failure(ApiErrors.failedPrecondition("RETIRE_BEFORE_EFFECTIVE",
                                "an item cannot be retired before it took effect (" + e.effectiveFrom + ")"));
                    }
                    String before = Digests.sha256Hex(Mapper.item(e));
                    e.effectiveUntil = until;
                    ControlItem retired = Mapper.item(e);
                    return audit.append(AuditRecord.of(caller, Jurisdiction.NATIONAL, "control-item.retire",
                            "control-item/" + e.code, request.getRequestId()).withDigests(before, Digests.sha256Hex(retired)))
                            .replaceWith(RetireControlItemResponse.newBuilder().setItem(retired).build());
                }))
                .map(Idempotency.Result::response);
    }

    @Override
    @WithSession
    public Uni<ListWatchListEntriesResponse> listWatchListEntries(ListWatchListEntriesRequest request) {
        access.require(LicensingAction.WATCH_LIST_READ);
        int size = Paging.pageSize(request.getPageSize());
        String after = Paging.position(WATCH, request.getPageToken());
        return Panache.getSession().flatMap(s -> s.createSelectionQuery(
                "from WatchListEntryEntity where id > :after order by id", WatchListEntryEntity.class)
                .setParameter("after", after == null ? "" : after).setMaxResults(size + 1).getResultList())
                .map(entries -> {
                    ListWatchListEntriesResponse.Builder b = ListWatchListEntriesResponse.newBuilder();
                    entries.stream().limit(size).map(Mapper::watchListEntry).forEach(b::addEntries);
                    if (entries.size() > size) {
                        b.setNextPageToken(Paging.token(WATCH, entries.get(size - 1).id));
                    }
                    return b.build();
                });
    }

    @Override
    public Uni<AddWatchListEntryResponse> addWatchListEntry(AddWatchListEntryRequest request) {
        Scopes.national(access.caller(), LicensingAction.LISTS_EDIT); // role and level before input
        Validation v = new Validation().requestId("request_id", request.getRequestId());
        WatchListEntry entry = request.getEntry();
        v.require("entry.name", !entry.getName().isBlank(), "is required");
        v.require("entry.country_code", Countries.isValid(entry.getCountryCode()), "must be an ISO 3166-1 alpha-2 code");
        v.require("entry.reason", !entry.getReason().isBlank(), "is required");
        for (int i = 0; i < entry.getAliasesCount(); i++) {
            v.require("entry.aliases[" + i + "]", !entry.getAliases(i).isBlank() && !entry.getAliases(i).contains("|"),
                    "must be a non-empty name without '|'");
        }
        v.throwIfInvalid();
        Caller caller = access.caller();
        Scopes.national(caller, LicensingAction.LISTS_EDIT);
        return idempotency.once(caller.subject(), "watch-list.add", request.getRequestId(), request,
                AddWatchListEntryResponse.parser(), () -> screening.addWatchListEntry(caller, entry, request.getRequestId()))
                .map(Idempotency.Result::response);
    }

    @Override
    @WithSession
    public Uni<ListEmbargoedDestinationsResponse> listEmbargoedDestinations(ListEmbargoedDestinationsRequest request) {
        access.require(LicensingAction.CONTROL_LIST_READ);
        return Panache.getSession().flatMap(s -> s.createSelectionQuery(
                "from EmbargoedDestinationEntity order by countryCode", EmbargoedDestinationEntity.class).getResultList())
                .map(list -> ListEmbargoedDestinationsResponse.newBuilder()
                        .addAllCountryCodes(list.stream().map(e -> e.countryCode).toList()).build());
    }

    @Override
    public Uni<AddEmbargoedDestinationResponse> addEmbargoedDestination(AddEmbargoedDestinationRequest request) {
        Scopes.national(access.caller(), LicensingAction.LISTS_EDIT); // role and level before input
        Validation v = new Validation().requestId("request_id", request.getRequestId());
        v.require("country_code", Countries.isValid(request.getCountryCode()), "must be an ISO 3166-1 alpha-2 code");
        v.require("country_code", !"CN".equals(request.getCountryCode()), "must not be China");
        v.require("reason", !request.getReason().isBlank(), "is required");
        v.throwIfInvalid();
        Caller caller = access.caller();
        Scopes.national(caller, LicensingAction.LISTS_EDIT);
        return idempotency.once(caller.subject(), "embargo.add", request.getRequestId(), request,
                AddEmbargoedDestinationResponse.parser(), () -> {
                    EmbargoedDestinationEntity e = new EmbargoedDestinationEntity();
                    e.countryCode = request.getCountryCode();
                    e.reason = request.getReason();
                    return Panache.getSession().flatMap(s -> s.merge(e))
                            .chain(() -> audit.append(AuditRecord.of(caller, Jurisdiction.NATIONAL, "embargo.add",
                                    "embargo/" + e.countryCode, request.getRequestId())))
                            .replaceWith(AddEmbargoedDestinationResponse.getDefaultInstance());
                })
                .map(Idempotency.Result::response);
    }

    @Override
    @WithSession
    public Uni<ListHolidaysResponse> listHolidays(ListHolidaysRequest request) {
        access.require(LicensingAction.CONTROL_LIST_READ);
        if (request.getYear() < 2000 || request.getYear() > 2100) {
            throw ApiErrors.invalidArgument("year", "must be between 2000 and 2100");
        }
        return Panache.getSession().flatMap(s -> s.createSelectionQuery(
                "from HolidayEntity where day between :from and :to order by day", HolidayEntity.class)
                .setParameter("from", LocalDate.of(request.getYear(), 1, 1))
                .setParameter("to", LocalDate.of(request.getYear(), 12, 31)).getResultList())
                .map(list -> ListHolidaysResponse.newBuilder().addAllHolidays(list.stream()
                        .map(h -> Holiday.newBuilder().setDate(Dates.of(h.day)).setName(h.name).build()).toList()).build());
    }

    @Override
    public Uni<AddHolidayResponse> addHoliday(AddHolidayRequest request) {
        Scopes.national(access.caller(), LicensingAction.LISTS_EDIT); // role and level before input
        Validation v = new Validation().requestId("request_id", request.getRequestId());
        LocalDate day = Dates.toLocalDate(request.getHoliday().getDate());
        v.require("holiday.date", day != null, "must be a valid date");
        v.require("holiday.name", !request.getHoliday().getName().isBlank(), "is required");
        v.throwIfInvalid();
        Caller caller = access.caller();
        Scopes.national(caller, LicensingAction.LISTS_EDIT);
        return idempotency.once(caller.subject(), "holiday.add", request.getRequestId(), request,
                AddHolidayResponse.parser(), () -> {
                    HolidayEntity h = new HolidayEntity();
                    h.day = day;
                    h.name = request.getHoliday().getName();
                    return Panache.getSession().flatMap(s -> s.merge(h))
                            .chain(() -> audit.append(AuditRecord.of(caller, Jurisdiction.NATIONAL, "holiday.add",
                                    "holiday/" + day, request.getRequestId())))
                            .replaceWith(AddHolidayResponse.getDefaultInstance());
                })
                .map(Idempotency.Result::response);
    }

    private Uni<ControlItemEntity> findItem(String code) {
        return Panache.getSession().flatMap(s -> s.find(ControlItemEntity.class, code))
                .onItem().ifNull().failWith(() -> ApiErrors.notFound("control-item", code));
    }

}
