package org.exportcontrol.notification.grpc;

import java.time.OffsetDateTime;

import jakarta.inject.Inject;

import org.exportcontrol.api.common.v1.Jurisdiction;
import org.exportcontrol.api.notification.v1.DeadLetter;
import org.exportcontrol.api.notification.v1.DeliveryKind;
import org.exportcontrol.api.notification.v1.ListDeadLettersRequest;
import org.exportcontrol.api.notification.v1.ListDeadLettersResponse;
import org.exportcontrol.api.notification.v1.Priority;
import org.exportcontrol.notification.NotificationAction;
import org.exportcontrol.platform.grpc.Paging;
import org.exportcontrol.platform.grpc.Timestamps;
import org.exportcontrol.platform.security.AccessControl;
import org.exportcontrol.platform.security.Caller;

import io.quarkus.grpc.GrpcService;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/** Dead letters for operators: national coordinator and auditors, inside their jurisdiction. */
@GrpcService
@Authenticated
public class DeliveryGrpcService implements org.exportcontrol.api.notification.v1.DeliveryService {

    private static final String LIST = "dead-letters";
    private static final String SELECT = """
            select d.id, d.notification_id, d.kind, d.recipient, d.address, d.attempts, d.last_error, d.dead_at,
                   n.jurisdiction, n.category, n.title, n.priority, n.created_at
              from delivery d join notification n on n.id = d.notification_id
             where d.state = 'DEAD' and d.id > $1 and ($2::text is null or n.jurisdiction = $2)
             order by d.id limit $3""";

    @Inject
    AccessControl access;
    @Inject
    Pool pool;

    @Override
    public Uni<ListDeadLettersResponse> listDeadLetters(ListDeadLettersRequest request) {
        access.require(NotificationAction.DEAD_LETTER_READ); // role before input: no field errors for a caller without it
        int size = Paging.pageSize(request.getPageSize());
        long after = Paging.longPosition(LIST, request.getPageToken(), 0);
        Caller caller = access.require(NotificationAction.DEAD_LETTER_READ);
        String jurisdiction = caller.jurisdiction().isNational() ? null : caller.jurisdiction().code();
        return pool.preparedQuery(SELECT).execute(Tuple.of(after, jurisdiction, size + 1)).map(rows -> {
            ListDeadLettersResponse.Builder b = ListDeadLettersResponse.newBuilder();
            long last = 0;
            int n = 0;
            boolean more = false;
            for (Row row : rows) {
                if (n == size) {
                    more = true;
                    break;
                }
                b.addDeadLetters(deadLetter(row));
                last = row.getLong("id");
                n++;
            }
            if (more) {
                b.setNextPageToken(Paging.token(LIST, Long.toString(last)));
            }
            return b.build();
        });
    }

    private static DeadLetter deadLetter(Row row) {
        DeadLetter.Builder b = DeadLetter.newBuilder()
                .setDeliveryId(Long.toString(row.getLong("id")))
                .setNotificationId(row.getUUID("notification_id").toString())
                .setKind(DeliveryKind.valueOf("DELIVERY_KIND_" + row.getString("kind")))
                .setRecipient(row.getString("recipient")).setAddress(row.getString("address"))
                .setAttempts(row.getInteger("attempts"))
                .setLastError(row.getString("last_error") == null ? "" : row.getString("last_error"))
                .setJurisdiction(Jurisdiction.newBuilder().setCode(row.getString("jurisdiction")))
                .setCategory(row.getString("category")).setTitle(row.getString("title"))
                .setPriority(Priority.valueOf(row.getString("priority")))
                .setCreatedAt(Timestamps.of(row.getOffsetDateTime("created_at").toInstant()));
        OffsetDateTime dead = row.getOffsetDateTime("dead_at");
        if (dead != null) {
            b.setDeadAt(Timestamps.of(dead.toInstant()));
        }
        return b.build();
    }
}
