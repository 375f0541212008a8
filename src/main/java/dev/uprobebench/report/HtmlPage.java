package dev.uprobebench.report;

import java.util.List;
import java.util.Map;
import org.commonmark.ext.gfm.tables.TableRow;
import org.commonmark.ext.gfm.tables.TablesExtension;
import org.commonmark.node.Image;
import org.commonmark.node.Node;
import org.commonmark.node.StrongEmphasis;
import org.commonmark.node.Text;
import org.commonmark.parser.Parser;
import org.commonmark.renderer.html.AttributeProvider;
import org.commonmark.renderer.html.HtmlRenderer;

/**
 * A page's HTML from its Markdown: every page is written once, as Markdown, and rendered here with
 * commonmark-java and its GFM tables, so that the two formats cannot drift. The HTML is
 * self-contained (no script, no stylesheet or font from the network): plots given as PNG bytes are
 * embedded as data, and a table row whose bold verdict says its result is not valid is red.
 */
public final class HtmlPage {
    private static final List<org.commonmark.Extension> EXTENSIONS = List.of(TablesExtension.create());
    private static final Parser PARSER = Parser.builder().extensions(EXTENSIONS).build();

    static final String STYLE = String.join("\n",
            "body{font-family:sans-serif;margin:2em;max-width:1500px;color:#222}",
            "table{border-collapse:collapse;margin:0.6em 0 1.4em}",
            "th,td{border:1px solid #ccc;padding:3px 7px;font-size:13px}",
            "th{background:#f2f2f2}td[align=right]{font-variant-numeric:tabular-nums;white-space:nowrap}",
            "tr.invalid td{background:#fde0e0;color:#b00000}td strong{color:#8a5a00}tr.invalid td strong{color:#b00000}",
            "img{max-width:100%;border:1px solid #eee;margin:0.4em 0}",
            ".faster{color:#0a7a0a}.slower{color:#b00000}",
            "blockquote{border-left:4px solid #ccc;margin:0;padding:0.2em 1em;color:#444}");

    private HtmlPage() {
    }

    /**
     * The page for {@code markdown}, titled {@code title}; an image whose source is a key of
     * {@code embedded} (a relative path such as {@code plots/s1-throughput.png}) gets the value,
     * a {@code data:} URI, as its source instead.
     */
    public static String render(String title, String markdown, Map<String, String> embedded) {
        HtmlRenderer renderer = HtmlRenderer.builder().extensions(EXTENSIONS)
                .attributeProviderFactory(context -> attributes(embedded)).build();
        String body = renderer.render(PARSER.parse(markdown));
        return "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + esc(title)
                + "</title><style>" + STYLE + "</style></head><body>\n" + body + "</body></html>\n";
    }

    private static AttributeProvider attributes(Map<String, String> embedded) {
        return (node, tag, attrs) -> {
            if (node instanceof Image image && embedded.containsKey(image.getDestination())) {
                attrs.put("src", embedded.get(image.getDestination()));
            } else if (node instanceof TableRow row && saysInvalid(row)) {
                attrs.put("class", "invalid");
            } else if (node instanceof StrongEmphasis strong && strong.getFirstChild() instanceof Text t
                    && CHANGES.stream().anyMatch(t.getLiteral()::startsWith)) {
                // a comparison's change, either form ("slower, maybe within noise"), coloured by direction
                attrs.put("class", t.getLiteral().startsWith(Comparison.FASTER) ? Comparison.FASTER : Comparison.SLOWER);
            }
        };
    }

    /**
     * The words a bold verdict starts with when its result is not valid ({@link ConfigOutcome#valid()}:
     * a status other than ok, a qualifier that voids the numbers).
     */
    static final List<String> NOT_VALID = List.of("INVALID", "UNCHECKED", "NEGATIVE CONTROL", "FAILED", "INTERRUPTED",
            "PENDING");

    /** The words a comparison's change starts with: bold, and coloured by the CSS class of that word. */
    static final List<String> CHANGES = List.of(Comparison.FASTER, Comparison.SLOWER);

    /** A {@code data:} URI of base64 PNG bytes. */
    public static String png(String base64) {
        return "data:image/png;base64," + base64;
    }

    /** A {@code data:} URI of an SVG document. */
    public static String svg(String svg) {
        return "data:image/svg+xml;base64," + java.util.Base64.getEncoder().encodeToString(
                svg.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** A row whose bold verdict says its result is not valid: red, never to be trusted. */
    private static boolean saysInvalid(Node row) {
        for (Node cell = row.getFirstChild(); cell != null; cell = cell.getNext()) {
            for (Node n = cell.getFirstChild(); n != null; n = n.getNext()) {
                if (n instanceof StrongEmphasis strong && strong.getFirstChild() instanceof Text t
                        && NOT_VALID.stream().anyMatch(t.getLiteral()::startsWith)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** HTML-escapes text. */
    public static String esc(String s) {
        return s == null ? "" : s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
