"""Build TRL-ready configs, leak-free splits and the dataset card from pulled annotations."""
