package io.jsworkflows.emulator.rest;

import java.util.Collection;
import java.util.List;

import io.jsworkflows.emulator.service.OAuthService.AuthorizeRequest;
import io.jsworkflows.emulator.service.Portal;

/** The consent page and the error page of /oauth/authorize: plain HTML a person can click and a test can parse. */
final class ConsentPage {

    private ConsentPage() {
    }

    static String consent(String action, AuthorizeRequest req, Collection<Portal> portals, String appName) {
        StringBuilder h = head("Connect " + appName + " to HubSpot");
        h.append("<main><h1>Connect <b>").append(esc(appName)).append("</b> to your HubSpot account</h1>\n");
        h.append("<form method=\"post\" action=\"").append(esc(action)).append("\" id=\"consent\">\n");
        hidden(h, "client_id", req.clientId());
        hidden(h, "redirect_uri", req.redirectUri());
        hidden(h, "scope", String.join(" ", req.scopes()));
        if (!req.optionalScopes().isEmpty()) {
            hidden(h, "optional_scope", String.join(" ", req.optionalScopes()));
        }
        if (req.state() != null) {
            hidden(h, "state", req.state());
        }
        if (req.pinnedPortal() != null) {
            hidden(h, "portal_id", req.pinnedPortal().toString());
            h.append("<p>Account: <b>").append(req.pinnedPortal()).append("</b></p>\n");
        } else {
            h.append("<label for=\"portal_id\">Choose an account</label>\n<select name=\"portal_id\" id=\"portal_id\">\n");
            boolean first = true;
            for (Portal p : portals) {
                h.append("  <option value=\"").append(p.id()).append('"').append(first ? " selected" : "").append('>')
                        .append(esc(p.domain())).append(" (").append(p.id()).append(")</option>\n");
                first = false;
            }
            h.append("</select>\n");
        }
        h.append("<h2>This app is requesting access to</h2>\n<ul class=\"scopes\">\n");
        scopes(h, req.scopes(), "");
        scopes(h, req.optionalScopes(), " (optional)");
        h.append("</ul>\n");
        h.append("<button type=\"submit\" name=\"decision\" value=\"grant\" id=\"grant\">Grant access</button>\n");
        h.append("<button type=\"submit\" name=\"decision\" value=\"deny\" id=\"deny\">Deny</button>\n");
        h.append("</form><p class=\"note\">HubSpot emulator: no real account is involved.</p></main></body></html>\n");
        return h.toString();
    }

    static String error(String message) {
        StringBuilder h = head("Authorization failed");
        h.append("<main><h1>Authorization failed</h1>\n<p class=\"error\" id=\"error\">").append(esc(message))
                .append("</p></main></body></html>\n");
        return h.toString();
    }

    private static void scopes(StringBuilder h, List<String> scopes, String suffix) {
        for (String s : scopes) {
            h.append("  <li><code>").append(esc(s)).append("</code>").append(suffix).append("</li>\n");
        }
    }

    private static StringBuilder head(String title) {
        return new StringBuilder("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>").append(esc(title))
                .append("</title>\n<style>body{font-family:sans-serif;background:#f5f8fa;color:#33475b}"
                        + "main{max-width:36em;margin:3em auto;background:#fff;padding:2em;border-radius:6px}"
                        + "button{font-size:1em;padding:.5em 1.2em;margin-right:.5em}#grant{background:#ff7a59;color:#fff;border:0}"
                        + ".error{color:#b3261e}.note{color:#7c98b6;font-size:.8em}</style></head><body>\n");
    }

    private static void hidden(StringBuilder h, String name, String value) {
        h.append("<input type=\"hidden\" name=\"").append(name).append("\" value=\"").append(esc(value)).append("\">\n");
    }

    static String esc(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (char c : s.toCharArray()) {
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }
}
