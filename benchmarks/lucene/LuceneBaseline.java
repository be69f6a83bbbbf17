// Lucene 8.7's ArabicAnalyzer with BM25 defaults over title and body: the baseline of
// issue 12, run here rather than quoted (benchmarks/lucene_baseline.py compiles and runs it).
//
//   java -cp LUCENE_JARS:. LuceneBaseline DOCS.tsv QUERIES.tsv RUN.tsv DEPTH
//
// DOCS.tsv: id TAB title TAB body (tabs and line breaks already replaced by spaces);
// QUERIES.tsv: qid TAB question; RUN.tsv gets qid TAB rank TAB docid TAB score.
// Each question is escaped and parsed by a MultiFieldQueryParser over title and body
// (OR between words: a word scores the sum of its BM25 in both fields).
import java.io.BufferedReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.ar.ArabicAnalyzer;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.queryparser.classic.MultiFieldQueryParser;
import org.apache.lucene.queryparser.classic.QueryParser;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.store.ByteBuffersDirectory;

public class LuceneBaseline {
    public static void main(String[] args) throws Exception {
        Analyzer analyzer = new ArabicAnalyzer();
        ByteBuffersDirectory directory = new ByteBuffersDirectory();
        try (IndexWriter writer = new IndexWriter(directory, new IndexWriterConfig(analyzer));
             BufferedReader docs = Files.newBufferedReader(Paths.get(args[0]), StandardCharsets.UTF_8)) {
            for (String line; (line = docs.readLine()) != null; ) {
                String[] parts = line.split("\t", -1);
                Document doc = new Document();
                doc.add(new StringField("id", parts[0], Field.Store.YES));
                doc.add(new TextField("title", parts[1], Field.Store.NO));
                doc.add(new TextField("body", parts[2], Field.Store.NO));
                writer.addDocument(doc);
            }
        }
        BooleanQuery.setMaxClauseCount(1 << 16);
        int depth = Integer.parseInt(args[3]);
        IndexSearcher searcher = new IndexSearcher(DirectoryReader.open(directory));
        MultiFieldQueryParser parser = new MultiFieldQueryParser(new String[] {"title", "body"}, analyzer);
        try (BufferedReader queries = Files.newBufferedReader(Paths.get(args[1]), StandardCharsets.UTF_8);
             PrintWriter run = new PrintWriter(Files.newBufferedWriter(Paths.get(args[2]), StandardCharsets.UTF_8))) {
            for (String line; (line = queries.readLine()) != null; ) {
                String[] parts = line.split("\t", 2);
                Query query;
                try {
                    query = parser.parse(QueryParser.escape(parts[1]));
                } catch (Exception e) {
                    continue;  // nothing left to search: no hits
                }
                ScoreDoc[] hits = searcher.search(query, depth).scoreDocs;
                for (int rank = 0; rank < hits.length; rank++) {
                    run.println(parts[0] + "\t" + (rank + 1) + "\t" + searcher.doc(hits[rank].doc).get("id") + "\t" + hits[rank].score);
                }
            }
        }
    }
}
