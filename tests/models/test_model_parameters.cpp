// Bad parameters of the izhikevich, adaptive LIF, aeif_cond_exp and hh_psc_alpha models are
// rejected with the key named: values outside a key's range (the registry's reader), NaN, misspelt
// keys, and the cross-key checks (a reset at or above the cut-off, a lower bound above the reset,
// the base model's checks).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/errors.hpp"
#include "model/aeif_cond_exp/aeif_cond_exp_params.hpp"
#include "model/hh_psc_alpha/hh_psc_alpha_params.hpp"
#include "model/izhikevich/izhikevich_params.hpp"
#include "model/lif_adaptive/lif_adaptive_params.hpp"
#include "network/spec.hpp"

namespace spikeweave {
namespace {

std::string network(const std::string& model, const std::string& params) {
  return "[simulation]\ndt_ms = 0.1\nt_stop_ms = 10.0\n[[population]]\nname = \"p\"\nsize = 2\n"
         "model = \"" +
         model + "\"\nparams = { " + params + " }\n";
}

void expect_rejected(const std::string& model, const std::string& params, const std::string& key) {
  try {
    network::parse_network(network(model, params), "test.toml");
    FAIL() << model << " { " << params << " } was accepted";
  } catch (const ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find(key), std::string::npos)
        << model << " { " << params << " }: message '" << e.what() << "' lacks '" << key << "'";
  }
}

TEST(ModelParameters, IzhikevichDefaultsAreNests) {
  const network::NetworkSpec net = network::parse_network(network("izhikevich", ""), "t.toml");
  const auto& p = net.populations[0].params.as<model::IzhikevichParams>();
  EXPECT_EQ(p.a, 0.02);
  EXPECT_EQ(p.b, 0.2);
  EXPECT_EQ(p.c_mv, -65.0);
  EXPECT_EQ(p.d, 8.0);
  EXPECT_EQ(p.v_th_mv, 30.0);
  EXPECT_TRUE(p.consistent_integration);
}

TEST(ModelParameters, IzhikevichBadValuesNameTheirKey) {
  expect_rejected("izhikevich", "a = 0.0", "params.a");
  expect_rejected("izhikevich", "a = -0.02", "params.a");
  expect_rejected("izhikevich", "a = nan", "params.a");
  expect_rejected("izhikevich", "b = inf", "params.b");
  expect_rejected("izhikevich", "d = nan", "params.d");
  expect_rejected("izhikevich", "c_mv = 30.0", "c_mv");  // reset at the cut-off
  expect_rejected("izhikevich", "c_mv = -50.0, v_th_mv = -55.0", "c_mv");
  expect_rejected("izhikevich", "v_min_mv = -60.0", "v_min_mv");  // above c_mv = -65
  expect_rejected("izhikevich", "consistent_integration = 1", "consistent_integration");
  expect_rejected("izhikevich", "tau_m_ms = 10.0", "tau_m_ms");  // not a key of this model
}

TEST(ModelParameters, AdaptiveLifBadValuesNameTheirKey) {
  for (const std::string model : {"lif_psc_exp_adaptive", "lif_cond_exp_adaptive"}) {
    expect_rejected(model, "tau_theta_ms = 0.0", "tau_theta_ms");
    expect_rejected(model, "tau_theta_ms = nan", "tau_theta_ms");
    expect_rejected(model, "theta_plus_mv = -0.1", "theta_plus_mv");
    expect_rejected(model, "b_pa = -1.0", "b_pa");
    expect_rejected(model, "tau_w_ms = 0.0", "tau_w_ms");
    expect_rejected(model, "c_m_pf = -250.0", "c_m_pf");  // the base model's checks
    expect_rejected(model, "v_reset_mv = -50.0", "v_reset_mv");
    expect_rejected(model, "t_ref_ms = 0.05", "t_ref_ms");  // off the time grid
    expect_rejected(model, "theta_plus = 0.05", "theta_plus");
  }
  expect_rejected("lif_psc_exp_adaptive", "tau_m_ms = 0.0", "tau_m_ms");
  expect_rejected("lif_cond_exp_adaptive", "tau_m_ms = 10.0", "tau_m_ms");  // takes g_l_ns
  expect_rejected("lif_cond_exp_adaptive", "g_l_ns = 0.0", "g_l_ns");
}

TEST(ModelParameters, AeifCondExpDefaultsAreNests) {
  const network::NetworkSpec net = network::parse_network(network("aeif_cond_exp", ""), "t.toml");
  const auto& p = net.populations[0].params.as<model::AeifCondExpParams>();
  EXPECT_EQ(p.c_m_pf, 281.0);
  EXPECT_EQ(p.g_l_ns, 30.0);
  EXPECT_EQ(p.e_l_mv, -70.6);
  EXPECT_EQ(p.v_th_mv, -50.4);
  EXPECT_EQ(p.delta_t_mv, 2.0);
  EXPECT_EQ(p.v_peak_mv, 0.0);
  EXPECT_EQ(p.v_reset_mv, -60.0);
  EXPECT_EQ(p.t_ref_ms, 0.0);
  EXPECT_EQ(p.a_ns, 4.0);
  EXPECT_EQ(p.b_pa, 80.5);
  EXPECT_EQ(p.tau_w_ms, 144.0);
  EXPECT_EQ(p.tau_syn_ex_ms, 0.2);
  EXPECT_EQ(p.tau_syn_in_ms, 2.0);
  EXPECT_EQ(p.error_tol, 1e-6);
}

TEST(ModelParameters, AeifCondExpBadValuesNameTheirKey) {
  const std::string m = "aeif_cond_exp";
  expect_rejected(m, "c_m_pf = -281.0", "params.c_m_pf");
  expect_rejected(m, "c_m_pf = 0.0", "params.c_m_pf");
  expect_rejected(m, "g_l_ns = nan", "params.g_l_ns");
  expect_rejected(m, "tau_w_ms = 0.0", "params.tau_w_ms");
  expect_rejected(m, "tau_syn_ex_ms = 0.0", "params.tau_syn_ex_ms");
  expect_rejected(m, "tau_syn_in_ms = -1.0", "params.tau_syn_in_ms");
  expect_rejected(m, "delta_t_mv = -1.0", "params.delta_t_mv");
  expect_rejected(m, "a_ns = nan", "params.a_ns");
  expect_rejected(m, "b_pa = inf", "params.b_pa");
  expect_rejected(m, "v_peak_mv = -55.0", "params.v_peak_mv");  // below v_th_mv = -50.4
  expect_rejected(m, "v_reset_mv = 0.0", "params.v_reset_mv");  // not below v_peak_mv = 0
  expect_rejected(m, "t_ref_ms = -1.0", "params.t_ref_ms");
  expect_rejected(m, "t_ref_ms = 0.05", "t_ref_ms");  // off the time grid
  expect_rejected(m, "error_tol = 0.0", "params.error_tol");
  expect_rejected(m, "max_substeps = 0", "params.max_substeps");
  expect_rejected(m, "max_substeps = 1.5", "params.max_substeps");
  expect_rejected(m, "delta_t_mv = 0.2, v_peak_mv = 100.0", "params.delta_t_mv");  // overflow
  expect_rejected(m, "V_peak = 0.0", "V_peak");  // NEST's name is not a key
  expect_rejected(m, "integrator = \"rk45\"", "params.integrator");
}

TEST(ModelParameters, HhPscAlphaDefaultsAreNests) {
  const network::NetworkSpec net = network::parse_network(network("hh_psc_alpha", ""), "t.toml");
  const auto& p = net.populations[0].params.as<model::HhPscAlphaParams>();
  EXPECT_EQ(p.c_m_pf, 100.0);
  EXPECT_EQ(p.g_na_ns, 12000.0);
  EXPECT_EQ(p.g_k_ns, 3600.0);
  EXPECT_EQ(p.g_l_ns, 30.0);
  EXPECT_EQ(p.e_na_mv, 50.0);
  EXPECT_EQ(p.e_k_mv, -77.0);
  EXPECT_EQ(p.e_l_mv, -54.402);
  EXPECT_EQ(p.t_ref_ms, 2.0);
  EXPECT_EQ(p.tau_syn_ex_ms, 0.2);
  EXPECT_EQ(p.tau_syn_in_ms, 2.0);
  EXPECT_EQ(p.error_tol, 1e-3);
}

TEST(ModelParameters, HhPscAlphaBadValuesNameTheirKey) {
  const std::string m = "hh_psc_alpha";
  expect_rejected(m, "c_m_pf = -100.0", "params.c_m_pf");
  expect_rejected(m, "c_m_pf = 0.0", "params.c_m_pf");
  expect_rejected(m, "g_na_ns = -1.0", "params.g_na_ns");
  expect_rejected(m, "g_k_ns = nan", "params.g_k_ns");
  expect_rejected(m, "g_l_ns = -30.0", "params.g_l_ns");
  expect_rejected(m, "e_na_mv = inf", "params.e_na_mv");
  expect_rejected(m, "tau_syn_ex_ms = 0.0", "params.tau_syn_ex_ms");
  expect_rejected(m, "tau_syn_in_ms = nan", "params.tau_syn_in_ms");
  expect_rejected(m, "t_ref_ms = -2.0", "params.t_ref_ms");
  expect_rejected(m, "t_ref_ms = 0.05", "t_ref_ms");  // off the time grid
  expect_rejected(m, "error_tol = 0.0", "params.error_tol");
  expect_rejected(m, "max_substeps = -3", "params.max_substeps");
  expect_rejected(m, "g_Na = 12000.0", "g_Na");  // NEST's name is not a key
}

TEST(ModelParameters, AdaptiveLifReadsBaseAndAdaptationKeys) {
  const network::NetworkSpec net = network::parse_network(
      network("lif_cond_exp_adaptive",
              "theta_plus_mv = 0.1, tau_theta_ms = 1000.0, b_pa = 5.0, tau_w_ms = 50.0, "
              "g_l_ns = 10.0, integrator = \"euler\""),
      "t.toml");
  const auto& p = net.populations[0].params.as<model::LifAdaptiveParams>();
  EXPECT_EQ(p.theta_plus_mv, 0.1);
  EXPECT_EQ(p.tau_theta_ms, 1000.0);
  EXPECT_EQ(p.b_pa, 5.0);
  EXPECT_EQ(p.tau_w_ms, 50.0);
  EXPECT_EQ(p.lif.g_l_ns, 10.0);
  EXPECT_FALSE(p.lif.exponential_euler);
  EXPECT_EQ(p.lif.tau_m_ms, p.lif.c_m_pf / 10.0);
}

}  // namespace
}  // namespace spikeweave
