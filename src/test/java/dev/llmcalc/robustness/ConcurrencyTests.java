package dev.llmcalc.robustness;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;

import dev.llmcalc.robustness.ValidRequests.Request;

/**
 * The service holds no shared mutable state: the same requests fired from many threads at once give
 * byte-identical answers to a sequential run.
 */
@SpringBootTest
@AutoConfigureMockMvc
class ConcurrencyTests {

    private static final int THREADS = 16;

    private static final int ROUNDS = 10;

    @Autowired
    private MockMvc mvc;

    private byte[] answer(Request request) throws Exception {
        return this.mvc.perform(org.springframework.test.web.servlet.request.MockMvcRequestBuilders
                .post(request.path()).contentType(MediaType.APPLICATION_JSON).content(request.body()))
                .andReturn().getResponse().getContentAsByteArray();
    }

    @Test
    void concurrentAnswersShouldBeByteIdenticalToSequentialOnes() throws Exception {
        List<Request> requests = ValidRequests.ALL;
        List<byte[]> sequential = new ArrayList<>();
        for (Request request : requests) {
            sequential.add(answer(request));
        }
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            List<Future<byte[]>> futures = new ArrayList<>();
            List<Integer> indices = new ArrayList<>();
            for (int round = 0; round < ROUNDS; round++) {
                for (int i = 0; i < requests.size(); i++) {
                    // vary the order between rounds so different requests overlap
                    int index = (i * (round + 1) + round) % requests.size();
                    Request request = requests.get(index);
                    Callable<byte[]> call = () -> answer(request);
                    futures.add(pool.submit(call));
                    indices.add(index);
                }
            }
            for (int k = 0; k < futures.size(); k++) {
                int index = indices.get(k);
                assertThat(new String(futures.get(k).get(), StandardCharsets.UTF_8))
                        .as(requests.get(index).path() + " " + requests.get(index).body())
                        .isEqualTo(new String(sequential.get(index), StandardCharsets.UTF_8));
            }
        }
        finally {
            pool.shutdownNow();
        }
    }
}
