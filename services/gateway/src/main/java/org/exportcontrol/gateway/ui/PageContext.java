package org.exportcontrol.gateway.ui;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

import org.exportcontrol.gateway.security.CurrentUser;
import org.exportcontrol.gateway.security.Navigation;
import org.exportcontrol.platform.error.ProblemMapper;
import org.exportcontrol.platform.security.Caller;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateInstance;
import io.vertx.core.http.HttpServerRequest;

/** What every page needs: the person, their menu, the language, and one error page for failures. */
@RequestScoped
public class PageContext {

    private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(PageContext.class);

    public static final String LANG_COOKIE = "ec-lang";

    @Inject
    CurrentUser user;
    @Inject
    HttpHeaders headers;
    @Inject
    HttpServerRequest request;
    @Location("error.html")
    Template errorPage;

    public Caller caller() {
        return user.caller();
    }

    public Locale locale() {
        var cookie = headers.getCookies().get(LANG_COOKIE);
        if (cookie != null) {
            return cookie.getValue().startsWith("zh") ? Labels.ZH : Locale.ENGLISH;
        }
        List<Locale> accepted = headers.getAcceptableLanguages();
        return !accepted.isEmpty() && accepted.get(0).getLanguage().equals("zh") ? Labels.ZH : Locale.ENGLISH;
    }

    /** The template with the layout's data: user, menu, language, a fresh request id for forms. */
    public TemplateInstance page(Template template, String active) {
        Caller caller = caller();
        Locale locale = locale();
        return template.instance()
                .setLocale(locale)
                .data("me", Map.of("name", user.displayName(), "subject", caller.subject(),
                        "jurisdiction", caller.jurisdiction().code(),
                        "jurisdictionName", caller.jurisdiction().displayName(),
                        "roles", List.copyOf(caller.roles())))
                .data("nav", Navigation.itemsFor(caller))
                .data("active", active)
                .data("lang", locale.getLanguage().equals("zh") ? "zh-CN" : "en")
                .data("requestId", UUID.randomUUID().toString())
                .data("path", request.path());
    }

    /** A failed call as a page: the same status and reason the API would give. */
    public Response error(Throwable failure) {
        if (!(failure instanceof StatusRuntimeException)) {
            LOG.error("page failed", failure);
        }
        Status status = failure instanceof StatusRuntimeException e ? e.getStatus() : Status.UNAVAILABLE;
        int http = ProblemMapper.httpStatus(status.getCode());
        String detail = http >= 500 ? "a service the page needs is unavailable; try again" : status.getDescription();
        TemplateInstance page = page(errorPage, "").data("status", http).data("code", status.getCode().name())
                .data("detail", detail == null ? "" : detail);
        return Response.status(http).entity(page).type("text/html;charset=UTF-8").build();
    }
}
